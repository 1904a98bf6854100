#include "core/codec/base64.hpp"

#include <gtest/gtest.h>

namespace atrium::core {
namespace {

TEST(Base64Test, Rfc4648Vectors) {
  const std::pair<const char*, const char*> vectors[] = {{"", ""},
                                                         {"f", "Zg=="},
                                                         {"fo", "Zm8="},
                                                         {"foo", "Zm9v"},
                                                         {"foob", "Zm9vYg=="},
                                                         {"fooba", "Zm9vYmE="},
                                                         {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(Base64Encode(plain), encoded);
    EXPECT_EQ(Base64Decode(encoded), std::optional<std::string>(plain));
  }
  const std::string binary("\x00\xff\xfe\x80", 4);
  EXPECT_EQ(Base64Decode(Base64Encode(binary)), binary);
}

TEST(Base64Test, RejectsWhatIsNotCanonical) {
  for (const char* bad : {"Zg", "Zg=", "Z===", "Zm9v!A==", "Zm9v YmFy", "Zh==", "Zm9=", "=Zm9", "Zg==Zg==", "Zm-_"}) {
    EXPECT_EQ(Base64Decode(bad), std::nullopt) << bad;
  }
}

}  // namespace
}  // namespace atrium::core
