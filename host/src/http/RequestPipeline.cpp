#include "RequestPipeline.hpp"

#include <chrono>
#include <exception>
#include <istream>
#include <string>

#include <Poco/Exception.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include "AccessLogLine.hpp"
#include "ProblemError.hpp"
#include "Request.hpp"
#include "RequestId.hpp"
#include "Response.hpp"
#include "ResponseWriter.hpp"

namespace mdp::http {

namespace {

constexpr std::string_view kInternalDetail = "internal error; quote the request id (instance) when reporting it";

// The client's X-Request-Id when there is exactly one and it is safe, else a fresh id.
std::string choose_request_id(const Poco::Net::HTTPServerRequest& in) {
  const std::string* incoming = nullptr;
  std::size_t count = 0;
  for (auto it = in.begin(); it != in.end(); ++it) {
    if (equals_ignore_case(it->first, "X-Request-Id")) {
      incoming = &it->second;
      ++count;
    }
  }
  if (count == 1 && is_acceptable_request_id(*incoming)) return *incoming;
  return new_request_id();
}

}  // namespace

struct RequestPipeline::Outcome {
  std::string method;
  std::string path;  // without the query
  std::string client_id;
  std::string remote;
  bool head_only = false;
  bool body_unread = false;  // a declared body is (partly) still on the wire: must close
};

void RequestPipeline::handleRequest(Poco::Net::HTTPServerRequest& in, Poco::Net::HTTPServerResponse& out) {
  const auto started = std::chrono::steady_clock::now();
  ConnectionRegistry::Entry* connection = ConnectionRegistry::current();
  if (connection && !context_->registry->begin_request(*connection)) {
    // The head deadline passed just as the head completed: the reaper has answered 408 and
    // is closing the connection. A second answer would interleave with it.
    out.setKeepAlive(false);
    return;
  }

  std::string request_id;
  int status = 0;
  std::size_t bytes_sent = 0;
  Outcome outcome;
  try {
    request_id = choose_request_id(in);
    Response response(request_id);
    produce(in, response, outcome);
    status = response.status();
    const bool close = response.closes_connection() || outcome.body_unread || context_->draining.load();
    if (outcome.body_unread && connection) context_->registry->linger_on_close(*connection);
    bytes_sent = ResponseWriter::write(in, out, response, outcome.head_only, close);
  } catch (...) {
    // Writing failed (peer gone, send timeout) or memory ran out while answering: nothing
    // more can be said on this connection.
    try {
      out.setKeepAlive(false);
    } catch (...) {
    }
    if (status == 0) status = 500;
  }

  if (connection) context_->registry->set_phase(*connection, ConnectionRegistry::Phase::AwaitingRequest);
  try {
    if (context_->access_log.information()) {
      const auto elapsed = std::chrono::steady_clock::now() - started;
      AccessLogLine line{outcome.method,
                         outcome.path,
                         status,
                         static_cast<std::int64_t>(std::chrono::duration_cast<std::chrono::microseconds>(elapsed).count()),
                         request_id,
                         outcome.client_id,
                         outcome.remote,
                         bytes_sent};
      context_->access_log.information(line.format());
    }
  } catch (...) {
  }
}

void RequestPipeline::produce(Poco::Net::HTTPServerRequest& in, Response& response, Outcome& outcome) {
  try {
    outcome.method = in.getMethod();
    const HttpMethod method = parse_http_method(outcome.method);
    outcome.head_only = method == HttpMethod::Head;
    const std::string& target = in.getURI();
    const std::size_t query_start = target.find('?');
    outcome.path = target.substr(0, query_start);
    try {
      outcome.remote = in.clientAddress().host().toString();
    } catch (...) {
    }

    const InFlightGate::Ticket admission = context_->in_flight.enter();
    if (!admission.admitted()) {
      // Shed before any work; closing frees this thread for the connections queued behind.
      response.set_problem(Problem(ProblemType::Unavailable, "server busy; retry shortly").with_retry_after(1));
      response.close_connection();
      outcome.body_unread = in.has("Content-Length") || in.has("Transfer-Encoding");
      return;
    }

    HeaderList headers;
    headers.reserve(in.size());
    for (auto it = in.begin(); it != in.end(); ++it) headers.emplace_back(it->first, it->second);

    const RequestHeadVerdict verdict = context_->head_validator.check(method, in.getVersion(), target, headers);
    if (verdict.problem) {
      response.set_problem(*verdict.problem);
      if (verdict.close_connection) response.close_connection();
      outcome.body_unread = verdict.body.kind != BodyFraming::Kind::None;
      return;
    }

    Request request;
    if (verdict.body.kind != BodyFraming::Kind::None) {
      read_body(in, verdict.body, request, response, outcome);
      if (outcome.body_unread) return;  // read_body answered
    }

    const RouteMatch match = context_->router->resolve(method, outcome.path);
    if (match.outcome == RouteMatch::Outcome::NotFound) {
      response.set_problem(Problem(ProblemType::NotFound, "no resource at this path"));
      return;
    }
    if (match.outcome == RouteMatch::Outcome::MethodNotAllowed) {
      response.set_problem(Problem(ProblemType::MethodNotAllowed, "method not allowed for this resource; see Allow")
                               .with_header("Allow", match.allow));
      return;
    }

    QueryParseResult query = context_->query_parser.parse(
        query_start == std::string::npos ? std::string_view{} : std::string_view(target).substr(query_start + 1));
    if (!query.ok()) {
      response.set_problem(Problem(ProblemType::BadRequest, query.error->message()));
      return;
    }

    request.set_method(method);
    request.set_path(outcome.path);
    request.set_query(std::move(query.parameters));
    request.set_headers(std::move(headers));
    request.set_request_id(response.request_id());
    request.set_remote_address(outcome.remote);
    if (!context_->authorization.admit(match.route->required_scope(), request, response)) {
      outcome.client_id = request.client_id();
      return;
    }
    try {
      match.route->handle(request, response);
    } catch (...) {
      outcome.client_id = request.client_id();
      throw;
    }
    outcome.client_id = request.client_id();
  } catch (const ProblemError& error) {
    response = Response(response.request_id());
    response.set_problem(error.problem());
  } catch (const Poco::Exception& error) {
    answer_internal_error(response, error.displayText());
  } catch (const std::exception& error) {
    answer_internal_error(response, error.what());
  } catch (...) {
    answer_internal_error(response, "exception of a non-standard type");
  }
}

void RequestPipeline::read_body(Poco::Net::HTTPServerRequest& in, const BodyFraming& framing, Request& request,
                                Response& response, Outcome& outcome) {
  const std::size_t cap = context_->head_validator.limits().max_body_bytes;
  // A declared length was already checked against the cap; chunked bodies are read up to
  // one byte past it, which is how we know they are too large.
  const std::size_t want = framing.kind == BodyFraming::Kind::Length ? static_cast<std::size_t>(framing.length) : cap + 1;
  ConnectionRegistry::Entry* connection = ConnectionRegistry::current();
  if (connection) context_->registry->set_phase(*connection, ConnectionRegistry::Phase::ReadingBody);

  std::string body(want, '\0');
  std::size_t got = 0;
  bool timed_out = false;
  bool malformed = false;
  std::istream& stream = in.stream();
  // With badbit in the mask the stream rethrows what the socket threw (timeout, reset,
  // bad chunk) instead of swallowing it.
  stream.exceptions(std::ios::badbit);
  try {
    while (got < want && stream) {
      stream.read(body.data() + got, static_cast<std::streamsize>(want - got));
      got += static_cast<std::size_t>(stream.gcount());
    }
  } catch (const Poco::TimeoutException&) {
    timed_out = true;
  } catch (const Poco::Exception&) {
    malformed = true;
  } catch (const std::ios::failure&) {
    malformed = true;
  }
  if (connection) {
    timed_out = timed_out || context_->registry->timed_out(*connection);
    context_->registry->set_phase(*connection, ConnectionRegistry::Phase::Handling);
  }

  const bool complete_length = framing.kind == BodyFraming::Kind::Length && got == want;
  const bool complete_chunked = framing.kind == BodyFraming::Kind::Chunked && got <= cap && stream.eof();
  if (!timed_out && !malformed && (complete_length || complete_chunked)) {
    body.resize(got);
    request.set_body(std::move(body));
    return;
  }
  outcome.body_unread = true;
  response.close_connection();
  if (framing.kind == BodyFraming::Kind::Chunked && got > cap) {
    response.set_problem(
        Problem(ProblemType::PayloadTooLarge, "request body larger than " + std::to_string(cap) + " bytes"));
  } else if (timed_out) {
    response.set_problem(Problem(ProblemType::RequestTimeout, "request body not received in time"));
  } else {
    response.set_problem(Problem(ProblemType::BadRequest, "request body incomplete or malformed"));
  }
}

void RequestPipeline::answer_internal_error(Response& response, const std::string& what) {
  try {
    context_->error_log.error("request_id=" + response.request_id() + " unhandled exception: " + log_safe(what, 1024));
  } catch (...) {
  }
  // If even this throws (out of memory), handleRequest's last resort closes the connection.
  response = Response(response.request_id());
  response.set_problem(Problem(ProblemType::Internal, std::string(kInternalDetail)));
}

}  // namespace mdp::http
