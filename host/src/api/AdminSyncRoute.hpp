// POST /v1/admin/sync?exchange= (scope admin): runs one metadata sync of the exchange now,
// in the request's thread, and answers 200 with the run summary — also when the sync ran
// and failed or was skipped (`outcome` says which; `error` says why). No request body.
#pragma once

#include <memory>

#include "ApiRoute.hpp"
#include "SyncAdminService.hpp"

namespace mdp::api {

class AdminSyncRoute : public ApiRoute {
 public:
  explicit AdminSyncRoute(std::shared_ptr<const service::SyncAdminService> service);

 protected:
  void serve(const http::Request& request, http::Response& response) const override;

 private:
  std::shared_ptr<const service::SyncAdminService> service_;
};

}  // namespace mdp::api
