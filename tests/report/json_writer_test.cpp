// JsonWriter against nlohmann's dump of the same documents, byte for byte: random nesting,
// random bytes in keys and strings (control characters, invalid UTF-8), numbers of each kind.
#include "report/json_writer.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <random>

namespace keyhound {
namespace {

using Json = nlohmann::ordered_json;

class RandomDocument {
 public:
  explicit RandomDocument(unsigned seed) : random_(seed) {}

  // Writes a random value to `writer` and returns the same value as nlohmann's document.
  Json write(JsonWriter& writer, int depth) {
    switch (pick(depth < 4 ? 7 : 4)) {
      case 0: {
        std::string text = text_();
        writer.value(text);
        return text;
      }
      case 1: {
        std::uint64_t number = random_() >> pick(64);
        writer.value(number);
        return number;
      }
      case 2: {
        auto number = static_cast<std::int64_t>(random_() >> pick(64)) * (pick(2) ? -1 : 1);
        writer.value(number);
        return number;
      }
      case 3: {
        // Entropy and seconds are rounded to 2 and 3 decimals; also whole and tiny numbers.
        double choices[] = {std::round(std::uniform_real_distribution<>(0, 8)(random_) * 100) / 100,
                            std::round(std::uniform_real_distribution<>(0, 100)(random_) * 1000) / 1000,
                            static_cast<double>(pick(10)), 1e-7, 123456789.5};
        double number = choices[pick(5)];
        writer.value(number);
        return number;
      }
      case 4:
      case 5: {
        Json object = Json::object();
        writer.begin_object();
        for (int i = 0, n = static_cast<int>(pick(4)); i < n; ++i) {
          std::string key = text_() + std::to_string(i);  // keys unique within the object
          writer.key(key);
          object[key] = write(writer, depth + 1);
        }
        writer.end_object();
        return object;
      }
      default: {
        Json array = Json::array();
        writer.begin_array();
        for (int i = 0, n = static_cast<int>(pick(4)); i < n; ++i) array.push_back(write(writer, depth + 1));
        writer.end_array();
        return array;
      }
    }
  }

 private:
  unsigned pick(unsigned n) { return static_cast<unsigned>(random_() % n); }
  std::string text_() {
    static const std::string pieces[] = {"plain",
                                         "path/to/file.py",
                                         "\"",
                                         "\\",
                                         "\n",
                                         "\t",
                                         "\x01",
                                         "\x1f",
                                         "\x7f",
                                         "caf\xc3\xa9",
                                         "\xe2\x82\xac",
                                         "\xff",
                                         "\xe2\x82",
                                         "\xc3",
                                         "\xf0\x9f\x94\x91",
                                         "",
                                         " "};
    std::string text;
    for (int i = 0, n = static_cast<int>(pick(5)); i < n; ++i) text += pieces[pick(std::size(pieces))];
    return text;
  }
  std::mt19937_64 random_;
};

TEST(JsonWriter, WritesWhatNlohmannDumpsForTheSameDocument) {
  for (unsigned seed = 0; seed < 500; ++seed) {
    for (int indent : {2, -1}) {
      std::string written;
      JsonWriter writer(written, indent);
      Json document = RandomDocument(seed).write(writer, 0);
      ASSERT_EQ(written, document.dump(indent, ' ', false, Json::error_handler_t::replace))
          << "seed " << seed << ", indent " << indent;
    }
  }
}

TEST(JsonWriter, EmptyContainersAndMembers) {
  std::string written;
  JsonWriter writer(written, 2);
  writer.begin_object();
  writer.key("none");
  writer.begin_array();
  writer.end_array();
  writer.key("empty");
  writer.begin_object();
  writer.end_object();
  writer.member("n", std::uint64_t{3});
  writer.end_object();
  EXPECT_EQ(written, "{\n  \"none\": [],\n  \"empty\": {},\n  \"n\": 3\n}");
}

}  // namespace
}  // namespace keyhound
