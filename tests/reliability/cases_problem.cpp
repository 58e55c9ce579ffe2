// Bad problem specs: YAML syntax and limits, types, ranges, unknown keys, builders,
// dimensions, affine indices, tensors, size limits and tags.
#include "reliability/cases.hpp"

namespace outpace::reliability {
namespace {

/// A problem file p.yaml whose first two lines are "problem:" and "  name: mm", then `body`;
/// `map` refuses it before any search.
Case mm(std::string name, const std::string& body, std::string line) {
  return {std::move(name),
          {{"p.yaml", "problem:\n  name: mm\n" + body}},
          "map --arch toy --problem p.yaml",
          2,
          std::move(line)};
}

/// The general form with dimensions M, N, K (line 3) and the tensors of `tensors` (from line 5).
Case einsum(std::string name, const std::string& tensors, std::string line) {
  return mm(std::move(name), "  dimensions: {M: 4, N: 4, K: 4}\n  tensors:\n" + tensors,
            std::move(line));
}

const std::string kB = "    - {name: B, index: [K, N]}\n";
const std::string kZ = "    - {name: Z, index: [M, N], output: true}\n";

}  // namespace

std::vector<Case> problem_cases() {
  return {
      // YAML itself
      mm("problem_yaml_syntax", "  gemm: {M: 8, N: 4 K: 6}\n",
         "p.yaml:3:22: YAML syntax error: did not find expected ',' or '}' (while parsing a flow "
         "mapping that starts at line 3, column 9)"),
      mm("problem_duplicate_key", "  gemm: {M: 8, N: 4, K: 6, M: 3}\n",
         "p.yaml:3:28: key 'M' is given twice (first at line 3)"),
      mm("problem_python_tag", "  gemm: !!python/object {M: 8, N: 4, K: 6}\n",
         "p.yaml:3:9: YAML tag '!!python/object' is not supported: a spec holds plain values, "
         "lists and mappings without tags"),
      mm("problem_str_tag", "  gemm: {M: !!str 8, N: 4, K: 6}\n",
         "p.yaml:3:13: YAML tag '!!str' is not supported: a spec holds plain values, lists and "
         "mappings without tags"),
      {"problem_empty_file",
       {{"p.yaml", ""}},
       "map --arch toy --problem p.yaml",
       2,
       "p.yaml:1:1: the file is empty; expected 'problem:'"},
      mm("problem_unknown_root", "  gemm: {M: 8, N: 4, K: 6}\nproblme: 3\n",
         "p.yaml:4:1: unknown section 'problme'; a spec file holds problem, architecture, "
         "mapping, constraints"),
      {"problem_yaml_too_deep",
       {{"p.yaml", "problem: " + std::string(70, '[') + std::string(70, ']') + "\n"}},
       "map --arch toy --problem p.yaml",
       2,
       "p.yaml:1:73: lists and mappings are nested more than 64 deep"},
      {"problem_yaml_alias_bomb",
       {{"p.yaml",
         "a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n"
         "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
         "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
         "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
         "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nproblem: [*e, *e]\n"}},
       "map --arch toy --problem p.yaml",
       2,
       "p.yaml:5:32: the document has more than 100000 nodes once aliases are expanded; a spec "
       "should be far smaller"},
      mm("problem_yaml_unknown_alias", "  gemm: *shape\n",
         "p.yaml:3:9: alias '*shape' does not name a complete node anchored before it"),
      mm("problem_yaml_bad_indent", "   gemm: {M: 8, N: 4, K: 6}\n",
         "p.yaml:3:8: YAML syntax error: mapping values are not allowed in this context"),
      mm("problem_yaml_tab", "\tgemm: {M: 8, N: 4, K: 6}\n",
         "p.yaml:3:1: YAML syntax error: found a tab character that violates indentation (while "
         "scanning a plain scalar that starts at line 2, column 9)"),
      mm("problem_yaml_two_documents", "  gemm: {M: 8, N: 4, K: 6}\n---\nproblem:\n  name: x\n",
         "p.yaml:4:1: a spec file holds one YAML document; this is a second one"),
      mm("problem_local_tag", "  gemm: !local {M: 8, N: 4, K: 6}\n",
         "p.yaml:3:9: YAML tag '!local' is not supported: a spec holds plain values, lists and "
         "mappings without tags"),
      {"problem_not_utf8",
       {{"p.yaml", "problem:\n  name: m\xff\xfem\n  gemm: {M: 8, N: 4, K: 6}\n"}},
       "map --arch toy --problem p.yaml",
       2,
       "p.yaml:2:10: YAML syntax error: invalid leading UTF-8 octet (byte 0xFF)"},
      // types
      mm("problem_bound_word", "  gemm: {M: eight, N: 4, K: 6}\n",
         "p.yaml:3:13: problem 'mm': gemm: M must be an integer, got 'eight'"),
      mm("problem_bound_fraction", "  gemm: {M: 8.5, N: 4, K: 6}\n",
         "p.yaml:3:13: problem 'mm': gemm: M must be an integer, got '8.5'"),
      mm("problem_bound_null", "  gemm: {M: ~, N: 4, K: 6}\n",
         "p.yaml:3:13: problem 'mm': gemm: M must be an integer, got nothing (null)"),
      mm("problem_builder_as_list", "  gemm: [8, 4, 6]\n",
         "p.yaml:3:9: problem 'mm': gemm must be a mapping of keys to values, got a list"),
      {"problem_name_list",
       {{"p.yaml", "problem:\n  name: [a, b]\n  gemm: {M: 8, N: 4, K: 6}\n"}},
       "eval --arch toy --problem p.yaml --mapping p.yaml",
       2,
       "p.yaml:2:9: problem 'p': name must be a string, got a list"},
      // ranges
      mm("problem_zero_bound", "  gemm: {M: 0, N: 4, K: 6}\n",
         "p.yaml:3:13: problem 'mm': gemm: M 0 must be at least 1"),
      mm("problem_bound_past_2_31", "  gemm: {M: 4294967296, N: 4, K: 6}\n",
         "p.yaml:3:13: problem 'mm': gemm: M 4294967296 must be at most 2147483648"),
      mm("problem_negative_bound",
         "  dimensions: {M: -4, N: 32, K: 16}\n  tensors:\n    - {name: A, index: [M, K]}\n" + kB +
             kZ,
         "p.yaml:3:19: problem 'mm': dimension 'M' bound -4 must be at least 1"),
      mm("problem_stride_zero", "  conv2d: {K: 4, C: 3, P: 8, Q: 8, R: 3, S: 3, stride: 0}\n",
         "p.yaml:3:56: problem 'mm': conv2d: stride 0 must be at least 1"),
      mm("problem_dilation_too_large",
         "  conv2d: {K: 4, C: 3, P: 8, Q: 8, R: 3, S: 3, dilation: 70000}\n",
         "p.yaml:3:58: problem 'mm': conv2d: dilation 70000 must be at most 65536"),
      mm("problem_groups_zero", "  grouped_conv2d: {G: 0, K: 4, C: 3, P: 8, Q: 8}\n",
         "p.yaml:3:23: problem 'mm': grouped_conv2d: G 0 must be at least 1"),
      // unknown keys and builders
      mm("problem_unknown_key", "  gemm: {M: 8, N: 4, K: 6}\n  colour: red\n",
         "p.yaml:4:3: problem 'mm': unknown key 'colour'; allowed keys are name, conv2d, "
         "grouped_conv2d, depthwise_conv2d, gemm, batched_matmul, dimensions, tensors"),
      mm("problem_two_builders", "  gemm: {M: 8, N: 4, K: 6}\n  conv2d: {K: 4, C: 3, P: 8, Q: 8}\n",
         "p.yaml:2:3: problem 'mm': give exactly one of conv2d, grouped_conv2d, depthwise_conv2d, "
         "gemm, batched_matmul or 'dimensions' with 'tensors'; this gives conv2d, gemm"),
      mm("problem_gemm_unknown_dimension", "  gemm: {M: 8, N: 4, K: 6, X: 3}\n",
         "p.yaml:3:28: problem 'mm': gemm: unknown key 'X'; allowed keys are M, N, K"),
      mm("problem_depthwise_with_K", "  depthwise_conv2d: {K: 4, C: 3, P: 8, Q: 8}\n",
         "p.yaml:3:22: problem 'mm': depthwise_conv2d: unknown key 'K'; allowed keys are N, C, "
         "P, Q, R, S, stride, stride_h, stride_w, dilation, dilation_h, dilation_w"),
      mm("problem_batched_matmul_with_C", "  batched_matmul: {B: 2, M: 4, N: 4, K: 4, C: 2}\n",
         "p.yaml:3:44: problem 'mm': batched_matmul: unknown key 'C'; allowed keys are B, M, N, "
         "K"),
      mm("problem_stride_and_stride_h",
         "  conv2d: {K: 4, C: 3, P: 8, Q: 8, R: 3, S: 3, stride: 2, stride_h: 2}\n",
         "p.yaml:3:56: problem 'mm': conv2d: give 'stride' or 'stride_h'/'stride_w', not both"),
      mm("problem_no_builder", "",
         "p.yaml:2:3: problem 'mm': give exactly one of conv2d, grouped_conv2d, depthwise_conv2d, "
         "gemm, batched_matmul or 'dimensions' with 'tensors'"),
      mm("problem_dimensions_empty", "  dimensions: {}\n  tensors: []\n",
         "p.yaml:3:15: problem 'mm': dimensions is empty; give at least one dimension name and "
         "its bound, e.g. {M: 64, N: 32, K: 16}"),
      mm("problem_dimensions_without_tensors", "  dimensions: {M: 4, N: 4, K: 4}\n",
         "p.yaml:2:3: problem 'mm': missing key 'tensors'"),
      // dimensions
      mm("problem_nine_dimensions",
         "  dimensions: {A1: 2, A2: 2, A3: 2, A4: 2, A5: 2, A6: 2, A7: 2, A8: 2, A9: 2}\n"
         "  tensors:\n    - {name: Z, index: [A1], output: true}\n",
         "p.yaml:3:15: problem 'mm': dimensions: 9 dimensions, at most 8 are supported"),
      mm("problem_dimension_name_digit_first",
         "  dimensions: {M: 4, 2N: 4}\n  tensors:\n    - {name: Z, index: [M], output: true}\n",
         "p.yaml:3:22: problem 'mm': dimensions: name '2N' must be a letter or '_' followed by "
         "letters, digits or '_'"),
      // affine indices
      einsum("problem_index_unknown_dimension", "    - {name: A, index: [M, X]}\n" + kB + kZ,
             "p.yaml:5:28: tensor 'A': index 'X' uses unknown dimension 'X'; dimensions are M, "
             "N, K"),
      einsum("problem_index_not_affine", "    - {name: A, index: [\"2*M + + K\"]}\n" + kB + kZ,
             "p.yaml:5:25: tensor 'A': index '2*M + + K' is not an affine index; write a sum of "
             "terms like P, 2*P or P*2 joined by '+'"),
      einsum("problem_index_coefficient_zero", "    - {name: A, index: [\"0*M\", K]}\n" + kB + kZ,
             "p.yaml:5:25: tensor 'A': index '0*M' has coefficient 0 for 'M'; it must be between "
             "1 and 65536"),
      einsum("problem_index_coefficient_too_large",
             "    - {name: A, index: [\"70000*M\", K]}\n" + kB + kZ,
             "p.yaml:5:25: tensor 'A': index '70000*M' has coefficient 70000 for 'M'; it must be "
             "between 1 and 65536"),
      einsum("problem_index_five_terms",
             "    - {name: A, index: [\"M + K + N + M + K\"]}\n" + kB + kZ,
             "p.yaml:5:25: tensor 'A': index 'M + K + N + M + K' has more than 4 terms, the most "
             "supported"),
      einsum("problem_index_seven_dimensions",
             "    - {name: A, index: [M, K, M, K, M, K, N]}\n" + kZ,
             "p.yaml:5:24: tensor 'A': index has 7 dimensions, at most 6 are supported"),
      einsum("problem_dimension_indexes_twice", "    - {name: A, index: [M, M]}\n" + kB + kZ,
             "p.yaml:5:7: tensor 'A': dimension 'M' appears in more than one index; each "
             "dimension may index a tensor once"),
      einsum("problem_output_index_with_coefficient",
             "    - {name: A, index: [M, K]}\n" + kB +
                 "    - {name: Z, index: [M, \"2*N\"], output: true}\n",
             "p.yaml:7:7: tensor 'Z': index 2 ('2*N') of the output must be a single dimension "
             "with coefficient 1"),
      // tensors
      einsum("problem_no_output",
             "    - {name: A, index: [M, K]}\n" + kB + "    - {name: Z, index: [M, N]}\n",
             "p.yaml:5:5: problem 'mm': tensors: no tensor has 'output: true'; exactly one must"),
      einsum("problem_two_outputs", "    - {name: A, index: [M, K], output: true}\n" + kB + kZ,
             "p.yaml:7:40: tensor 'Z': a second output; tensor 'A' is already the output and an "
             "Einsum has exactly one"),
      einsum("problem_tensor_twice",
             "    - {name: A, index: [M, K]}\n    - {name: A, index: "
             "[K, N]}\n" +
                 kZ,
             "p.yaml:6:14: tensor 'A' is defined twice (first at line 5)"),
      einsum("problem_five_tensors",
             "    - {name: A, index: [M, K]}\n" + kB + "    - {name: C, index: [K, N]}\n" +
                 "    - {name: D, index: [K, N]}\n" + kZ,
             "p.yaml:5:5: problem 'mm': tensors: 5 tensors, at most 4 are supported"),
      einsum("problem_output_not_bool", "    - {name: A, index: [M, K], output: yes please}\n" + kZ,
             "p.yaml:5:40: tensor 'A': output must be true or false, got 'yes please'"),
      einsum("problem_tensor_without_name", "    - {index: [M, K]}\n" + kZ,
             "p.yaml:5:7: tensor #1: missing key 'name'"),
      einsum("problem_tensor_unknown_key", "    - {name: A, index: [M, K], shape: 3}\n" + kZ,
             "p.yaml:5:32: tensor 'A': unknown key 'shape'; allowed keys are name, index, output"),
      // size limits
      mm("problem_macs_past_2_50",
         "  dimensions: {M: 2147483648, N: 2147483648, K: 4}\n  tensors:\n"
         "    - {name: A, index: [M, K]}\n" +
             kB + kZ,
         "p.yaml:2:3: problem 'mm': the bounds multiply to 1.845e+19 MACs, at most "
         "1125899906842624 (2^50) are supported"),
  };
}

}  // namespace outpace::reliability
