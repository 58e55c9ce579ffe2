#include "model/stride_resets.hpp"

#include "model/periodic_repeat.hpp"

namespace outpace::model {

StrideResets::StrideResets(std::vector<Move> moves) : moves_(std::move(moves)) {
  memo_.assign(moves_.size() * (moves_.size() + 1), Cached{});
}

StrideResets::Extra StrideResets::total() {
  Extra extra;
  sweep(static_cast<int>(moves_.size()) - 1, kFirst, extra);
  return extra;
}

/// The state after the advance of loop j from `state`, adding a reset's extra words.
int StrideResets::advance(int j, int state, Extra& extra) const {
  const Move& m = moves_[j];
  if (state != kFirst && state != m.translation_class) {
    extra.share += m.overlap, extra.parent += m.kept;
    return kFirst;
  }
  return m.translation_class;
}

/// Runs the sweep of loops 0..j from `state`, adding its extra words; returns the exit state.
int StrideResets::sweep(int j, int state, Extra& extra) {
  if (j < 0) return state;
  Cached& c = memo_[static_cast<std::size_t>(j) * (moves_.size() + 1) + (state + 1)];
  if (!c.done) {
    c = repeat(j, state);
    c.done = true;
  }
  extra += c.extra;
  return c.exit;
}

/// Sweep j-1, then (advance j, sweep j-1) x (iterations - 1), those scaled by `scale`; jumps
/// whole periods of the state.
StrideResets::Cached StrideResets::repeat(int j, int state) {
  Cached out;
  state = sweep(j - 1, state, out.extra);
  Extra rest;  // the iterations after the first, counted once
  state = repeat_periodic(moves_[j].iterations - 1, state, rest,
                          [&](int s, Extra& sum) { return sweep(j - 1, advance(j, s, sum), sum); });
  out.extra += moves_[j].scale * rest;
  out.exit = state;
  return out;
}

}  // namespace outpace::model
