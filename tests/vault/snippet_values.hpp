// What the remediation snippet tests share (snippet_test.cpp through the agent,
// sdk_snippet_test.cpp through the SDKs): the secrets they read (a name with the characters a URL
// misreads, a value with characters JSON escapes, a pair's JSON secret and the fields its snippets
// read) and the programs that print what a snippet read.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace keyhound::testing::snippet {

inline const std::string kName = "keyhound/shop/stripe.secret-key/a+b=c@d";
inline const std::string kValue = "sk_live_Q7mZ2rV9xL4pW8nT1kY6bH3c \"quoted\" back\\slash";
inline const std::string kPairName = "keyhound/shop/aws.pair";
inline const std::string kPairKeyId = "AKIAEXAMPLEPAIRFIELD";
inline const std::vector<std::string> kPairFields = {"accessKeyId", "secretAccessKey"};

inline std::string pair_json() {
  return nlohmann::json{{"accessKeyId", kPairKeyId}, {"secretAccessKey", kValue}}.dump();
}
// What a test program prints for the pair: "id|key".
inline std::string pair_printed() {
  return kPairKeyId + "|" + kValue;
}

// A snippet of a scripting language (python, node_esm, node_cjs, shell, ruby) turned into a
// program that prints the secret, or a pair's fields as "id|key"; empty for another language.
inline std::string script_program(const std::string& language, const std::string& snippet, bool pair) {
  if (language == "python")
    return snippet + "\nimport sys\nsys.stdout.write(" +
           (pair ? "accessKeyId + '|' + secretAccessKey" : "secret") + ")\n";
  if (language == "node_esm")
    return snippet + "\nprocess.stdout.write(" + (pair ? "accessKeyId + \"|\" + secretAccessKey" : "secret") +
           ");\n";
  if (language == "node_cjs")
    return snippet + (pair ? "\nfieldsPromise.then(({ accessKeyId, secretAccessKey }) =>\n"
                             "  process.stdout.write(accessKeyId + \"|\" + secretAccessKey));\n"
                           : "\nsecretPromise.then((secret) => process.stdout.write(secret));\n");
  if (language == "shell")
    return "set -e\n" + snippet +
           (pair ? "\nprintf '%s|%s' \"$accessKeyId\" \"$secretAccessKey\"\n" : "\nprintf %s \"$secret\"\n");
  if (language == "ruby")
    return snippet + "\n$stdout.write(" + (pair ? "accessKeyId + \"|\" + secretAccessKey" : "secret") + ")\n";
  return {};
}

}  // namespace keyhound::testing::snippet
