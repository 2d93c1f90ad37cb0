// Internal to mdp_service (included by .cpp files only): runs a repository call and turns
// the storage layer's exceptions into the service's, so nothing above sees storage types.
#pragma once

#include <utility>

#include "DatabaseError.hpp"
#include "ServiceErrors.hpp"

namespace mdp::service {

template <typename Fn>
decltype(auto) guard_store(Fn&& fn) {
  try {
    return std::forward<Fn>(fn)();
  } catch (const storage::DatabaseUnavailable&) {
    throw StoreUnavailable("the metadata database is unavailable; try again shortly");
  } catch (const storage::InvalidValue& error) {
    // The storage layer names the field and never the value or SQL.
    throw RequestRejected("", error.what());
  }
}

}  // namespace mdp::service
