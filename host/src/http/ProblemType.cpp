#include "ProblemType.hpp"

namespace mdp::http {

const std::vector<ProblemTypeInfo>& all_problem_types() {
  static const std::vector<ProblemTypeInfo> kTypes{
#define MDP_HTTP_PROBLEM_INFO(name, slug, status, title) {ProblemType::name, slug, status, title},
      MDP_HTTP_PROBLEM_TYPES(MDP_HTTP_PROBLEM_INFO)
#undef MDP_HTTP_PROBLEM_INFO
  };
  return kTypes;
}

const ProblemTypeInfo& problem_type_info(ProblemType type) {
  // The table is generated in enumerator order, so the enumerator is the index.
  return all_problem_types()[static_cast<std::size_t>(type)];
}

std::string problem_type_uri(ProblemType type) {
  std::string uri(kProblemTypeBase);
  uri.append(problem_type_info(type).slug);
  return uri;
}

}  // namespace mdp::http
