// The Query protocol helpers IAM and SNS share: form encoding and XML field reading.
#include "vault/aws_query.hpp"

#include <gtest/gtest.h>

namespace keyhound {
namespace {

TEST(AwsQuery, FormEncodingIsRfc3986) {
  EXPECT_EQ(form_encode("a b+c/d=e~f_g.h-i"), "a%20b%2Bc%2Fd%3De~f_g.h-i");
  EXPECT_EQ(form_encode("{\"é\"}"), "%7B%22%C3%A9%22%7D");
}

TEST(AwsQuery, TagValuesDecodeEntities) {
  std::string xml =
      "<Attributes><entry><key>Policy</"
      "key><value>{&quot;Sid&quot;:&quot;a&amp;b&quot;,&quot;x&quot;:&quot;&lt;&#233;&#x41;&gt;&quot;}"
      "</value></entry><entry><key>Owner</key><value>1</value></entry></Attributes>";
  auto values = xml_tag_values(xml, "value");
  ASSERT_EQ(values.size(), 2u);
  EXPECT_EQ(values[0],
            "{\"Sid\":\"a&b\",\"x\":\"<\xC3\xA9"
            "A>\"}");
  EXPECT_EQ(values[1], "1");
  EXPECT_EQ(xml_first_tag(xml, "key"), "Policy");
  EXPECT_EQ(xml_first_tag(xml, "missing"), "");
  EXPECT_EQ(xml_first_tag("<a>&bogus; & &amp</a>", "a"), "&bogus; & &amp");  // unknown text stays as it is
}

}  // namespace
}  // namespace keyhound
