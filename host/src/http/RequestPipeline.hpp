// The handler Poco runs for every request: the one place where requests are checked,
// routed, answered and logged. Steps, in order:
//   0. admission: more requests in flight than the limit -> 503 + Retry-After, closed;
//   1. request id: the incoming X-Request-Id if it is a short safe token, else a new one;
//   2. RequestHeadValidator: version (505), target form, URI (414), header bytes (431),
//      Content-Length/Transfer-Encoding framing (400), GET/HEAD body (400), declared
//      body above the cap (413);
//   3. body: read (at most cap + 1 bytes) when one was declared; over the cap -> 413, cut
//      short -> 400, too slow -> 408; all of them close the connection;
//   4. Router: 404 / 405 + Allow;
//   5. QueryParser: 400 naming the parameter where it can;
//   5b. AuthorizationStage for routes with a required scope: bearer token (401/400/403),
//      per-client rate limit (429); sets the request's client id;
//   6. the Route. ProblemError -> that problem. Anything else thrown (std::exception,
//      Poco::Exception, int, …) -> 500 "internal" with a generic detail; the exception text
//      is logged to "http.error" with the request id and never sent.
// Every response carries X-Request-Id; every problem has the request id as `instance`.
// The connection stays usable after a 500 (stock Poco closes it without an answer for a
// std::exception: RELIABILITY.md §8 #13). One "http.access" line per request.
#pragma once

#include <memory>

#include <Poco/Net/HTTPRequestHandler.h>

#include "RequestPipelineContext.hpp"

namespace mdp::http {

class Request;
class Response;

class RequestPipeline : public Poco::Net::HTTPRequestHandler {
 public:
  explicit RequestPipeline(std::shared_ptr<RequestPipelineContext> context) : context_(std::move(context)) {}

  void handleRequest(Poco::Net::HTTPServerRequest& in, Poco::Net::HTTPServerResponse& out) override;

 private:
  struct Outcome;

  // Fills `response`; never throws for anything a route or a client can cause.
  void produce(Poco::Net::HTTPServerRequest& in, Response& response, Outcome& outcome);
  void read_body(Poco::Net::HTTPServerRequest& in, const struct BodyFraming& framing, Request& request,
                 Response& response, Outcome& outcome);
  // Logs `what` with the request id and turns `response` into the generic 500 problem.
  void answer_internal_error(Response& response, const std::string& what);

  std::shared_ptr<RequestPipelineContext> context_;
};

}  // namespace mdp::http
