// Thrown by a route (or a Request helper) to answer with a problem instead of a 500:
// the pipeline renders the carried Problem. what() is the stable title only, so even a
// careless log line shows nothing request-specific.
#pragma once

#include <exception>
#include <utility>

#include "Problem.hpp"

namespace mdp::http {

class ProblemError : public std::exception {
 public:
  explicit ProblemError(Problem problem)
      : problem_(std::move(problem)), title_(problem_type_info(problem_.type()).title.data()) {}

  const Problem& problem() const noexcept { return problem_; }
  const char* what() const noexcept override { return title_; }

 private:
  Problem problem_;
  const char* title_;  // a string literal from the type table, so NUL-terminated
};

}  // namespace mdp::http
