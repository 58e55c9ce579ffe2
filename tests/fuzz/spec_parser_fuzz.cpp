// libFuzzer target: any input goes to all three native spec parsers and, as one Timeloop file,
// to the Timeloop reader. A ConfigError is the expected answer to bad input; any other
// exception, a crash, a leak or undefined behaviour is a bug. When the input holds a valid
// problem and architecture, its mapping is also parsed against them, and the sizes the limits
// are meant to keep in range are computed; a complete Timeloop spec is also evaluated.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "arch/presets.hpp"
#include "common/config_error.hpp"
#include "io/spec/arch_spec.hpp"
#include "io/spec/constraints_spec.hpp"
#include "io/spec/mapping_spec.hpp"
#include "io/spec/problem_spec.hpp"
#include "io/timeloop/timeloop_constraints.hpp"
#include "io/timeloop/timeloop_spec.hpp"
#include "model/evaluate.hpp"
#include "workload/builders.hpp"

namespace {

using namespace outpace;

/// A small conv layer and the toy architecture, the fixed targets of every mapping.
const workload::Einsum& fixed_einsum() {
  static const workload::Einsum e = [] {
    workload::ConvShape s;
    s.k = 4, s.c = 3, s.p = s.q = 5, s.r = s.s = 3, s.stride_h = s.stride_w = 2;
    return workload::conv2d("fuzz.conv", s);
  }();
  return e;
}

const arch::Arch& fixed_arch() {
  static const arch::Arch a = *arch::preset("eyeriss");
  return a;
}

/// Touches every count a parsed problem feeds the model, so UBSan sees any overflow.
std::int64_t sizes(const workload::Einsum& e) {
  std::int64_t sum = e.macs();
  for (int t = 0; t < e.num_tensors(); ++t) sum ^= e.tensor_size(t);
  return sum;
}

/// The input as a Timeloop file; a complete spec is evaluated with Timeloop's options.
void read_timeloop(std::string_view text) {
  try {
    const io::TimeloopSpec spec = io::parse_timeloop({{std::string(text), "fuzz.yaml"}});
    if (spec.problem && spec.arch) {  // the mapspace constraints, as `map --timeloop` reads them
      DiagnosticSink sink;
      const mapper::Constraints c = io::read_timeloop_constraints(spec, sink);
      if (sink.ok() && !mapper::check(c, *spec.problem, *spec.arch).empty()) __builtin_trap();
    }
    if (spec.problem && spec.arch && spec.mapping) {
      volatile double energy =
          model::evaluate(*spec.problem, *spec.arch, *spec.mapping, model::kTimeloopOptions).energy_pj;
      (void)energy;
    }
  } catch (const ConfigError&) {
  }
}

void parse_mapping(std::string_view text, const workload::Einsum& e, const arch::Arch& a) {
  try {
    const mapping::Mapping m = io::parse_mapping(text, "fuzz.yaml", e, a);
    (void)mapping::validate(e, a, m);
  } catch (const ConfigError&) {
  }
}

void parse_constraints(std::string_view text, const workload::Einsum& e, const arch::Arch& a) {
  try {
    mapper::Constraints c = mapper::arch_constraints(e, a);
    io::parse_constraints(text, "fuzz.yaml", e, a, c);
    if (!mapper::check(c, e, a).empty()) __builtin_trap();  // accepted constraints must be usable
  } catch (const ConfigError&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::optional<workload::Einsum> einsum;
  std::optional<arch::Arch> arch;
  try {
    einsum = io::parse_problem(text, "fuzz.yaml");
    volatile std::int64_t sink = sizes(*einsum);
    (void)sink;
  } catch (const ConfigError&) {
  }
  try {
    arch = io::parse_arch(text, "fuzz.yaml");
    volatile double area = arch->area_um2();
    (void)area;
  } catch (const ConfigError&) {
  }
  parse_mapping(text, fixed_einsum(), fixed_arch());
  parse_constraints(text, fixed_einsum(), fixed_arch());
  if (einsum && arch) parse_mapping(text, *einsum, *arch);
  read_timeloop(text);
  return 0;
}
