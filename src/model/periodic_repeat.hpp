#pragma once

#include <algorithm>
#include <cstdint>
#include <tuple>
#include <vector>

namespace outpace::model {

/// Runs `step` (state -> next state, adding its words to `sum`) `times` times from `state` and
/// returns the last state. Once a state repeats, the runs left are whole periods and a
/// remainder: the periods' words are added at once. `Sum` needs `+=`, `-` and `int64 * Sum`.
/// Used to sweep the advances of one loop over a child's calls (StrideResets, LinkTransfers).
template <class State, class Sum, class Step>
State repeat_periodic(std::int64_t times, State state, Sum& sum, Step step) {
  std::vector<std::tuple<State, std::int64_t, Sum>> seen;  // state, run, words before it
  for (std::int64_t i = 0; i < times; ++i) {
    const auto at = std::find_if(seen.begin(), seen.end(),
                                 [&](const auto& s) { return std::get<0>(s) == state; });
    if (at != seen.end()) {  // the state repeats: skip whole periods
      const std::int64_t period = i - std::get<1>(*at), cycles = (times - i) / period;
      sum += cycles * (sum - std::get<2>(*at));
      i += cycles * period;
      seen.clear();
      if (i >= times) break;
    }
    seen.emplace_back(state, i, sum);
    state = step(state, sum);
  }
  return state;
}

}  // namespace outpace::model
