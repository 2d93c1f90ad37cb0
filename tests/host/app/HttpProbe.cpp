#include "HttpProbe.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

namespace mdp::app::integration {

ProbeResult http_get(std::uint16_t port, const std::string& target, std::chrono::seconds timeout) {
  ProbeResult result;
  try {
    Poco::Net::HTTPClientSession session("127.0.0.1", port);
    session.setTimeout(Poco::Timespan(static_cast<long>(timeout.count()), 0));
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, target, Poco::Net::HTTPMessage::HTTP_1_1);
    request.setKeepAlive(false);
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::istream& body = session.receiveResponse(response);
    Poco::StreamCopier::copyToString(body, result.body);
    result.status = static_cast<int>(response.getStatus());
    result.content_type = response.getContentType();
  } catch (const Poco::Exception& e) {
    result.error = e.displayText();
  } catch (const std::exception& e) {
    result.error = e.what();
  }
  return result;
}

HealthWatcher::HealthWatcher(std::uint16_t port) : port_(port), thread_([this] { run(); }) {}

HealthWatcher::~HealthWatcher() { stop(); }

void HealthWatcher::stop() {
  stop_.store(true);
  if (thread_.joinable()) thread_.join();
}

std::vector<std::string> HealthWatcher::failures() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return failures_;
}

void HealthWatcher::run() {
  while (!stop_.load()) {
    const ProbeResult health = http_get(port_, "/health");
    if (health.status == 200) {
      ok_.fetch_add(1);
    } else {
      std::lock_guard<std::mutex> lock(mutex_);
      failures_.push_back(health.status == 0 ? health.error : "HTTP " + std::to_string(health.status));
    }
    // Gentle on a shared machine: a probe every 100 ms is plenty to see an outage.
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

}  // namespace mdp::app::integration
