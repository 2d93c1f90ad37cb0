// GET /v1/admin/sync-runs?exchange=&limit= (scope admin): recent metadata sync runs, newest
// first, of one exchange or all; limit 1..200, default 20.
#pragma once

#include <memory>

#include "ApiRoute.hpp"
#include "SyncAdminService.hpp"

namespace mdp::api {

inline constexpr std::size_t kDefaultSyncRunsPerPage = 20;

class SyncRunsRoute : public ApiRoute {
 public:
  explicit SyncRunsRoute(std::shared_ptr<const service::SyncAdminService> service);

 protected:
  void serve(const http::Request& request, http::Response& response) const override;

 private:
  std::shared_ptr<const service::SyncAdminService> service_;
};

}  // namespace mdp::api
