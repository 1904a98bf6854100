// ScanMultipartFile gives what ParseMultipart gives for the same bytes, read from a file
// in small blocks (so boundaries and headers fall across block edges), with part offsets
// into the file; a large file part stays a range.

#include "http/multipart_file.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "http/multipart_body.hpp"
#include "support/temp_dir.hpp"

namespace atrium::http {
namespace {

std::string Write(testing::TempDir& dir, const std::string& name, const std::string& bytes) {
  const auto path = dir.File(name);
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

TEST(MultipartFileTest, AgreesWithTheInMemoryParserAcrossBlockEdges) {
  testing::TempDir dir;
  const std::vector<std::string> bodies = {
      "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nhello\r\n--b\r\n"
      "Content-Disposition: form-data; name=\"file\"; filename=\"x.pdf\"\r\nContent-Type: application/pdf\r\n\r\n"
      "%PDF-1.4 bytes\r\n--b--\r\n",
      "preamble\r\n--b\nContent-Disposition: form-data; name=\"lf\"\n\nbare line feeds\n--b--",
      "--b\r\nContent-Disposition: form-data; name=\"empty\"\r\n\r\n\r\n--b--",
      "--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n--bnot a boundary\r\n--b--",
      "no boundary at all",
      "--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nunterminated",
      "--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--",
      "--b\r\nno colon here\r\n\r\nx\r\n--b--",
      "--b",
  };
  for (std::size_t block : {256u, 65536u}) {
    for (std::size_t i = 0; i < bodies.size(); ++i) {
      // Padding moves every boundary across a different block edge.
      for (std::size_t pad : {0u, 1u, 200u, 251u}) {
        const std::string body = std::string(pad, 'p') + "\r\n" + bodies[i];
        const auto path = Write(dir, "b" + std::to_string(i), body);
        auto file = ScanMultipartFile(path, "b", {.block_bytes = block});
        auto memory = ParseMultipart("b", body);
        ASSERT_EQ(file.ok(), memory.ok()) << i << " pad " << pad;
        if (!memory.ok()) {
          EXPECT_EQ(file.error().status, 400);
          continue;
        }
        ASSERT_EQ(file->parts.size(), memory->size());
        for (std::size_t p = 0; p < memory->size(); ++p) {
          const auto& m = (*memory)[p];
          const auto& f = file->parts[p];
          EXPECT_EQ(f.name, m.name);
          EXPECT_EQ(f.filename, m.filename);
          EXPECT_EQ(f.content_type, m.content_type);
          EXPECT_EQ(body.substr(f.offset, f.length), m.body);
        }
      }
    }
  }
}

TEST(MultipartFileTest, ALargeFilePartStaysARangeAndFieldsAreRead) {
  testing::TempDir dir;
  const std::string content(3 << 20, 'z');
  const std::string body =
      "--xyz\r\nContent-Disposition: form-data; name=\"metadata\"\r\n\r\n{\"title\":\"T\"}\r\n--xyz\r\n"
      "Content-Disposition: form-data; name=\"file\"; filename=\"big.txt\"\r\n\r\n" +
      content + "\r\n--xyz--\r\n";
  const auto path = Write(dir, "big", body);
  auto form = ScanMultipartFile(path, "xyz");
  ASSERT_TRUE(form.ok()) << form.error().message;
  const auto* file = FindFilePart(*form, "file");
  ASSERT_NE(file, nullptr);
  EXPECT_EQ(file->filename, "big.txt");
  EXPECT_EQ(file->length, content.size());
  EXPECT_EQ(body.substr(file->offset, 5), "zzzzz");
  EXPECT_EQ(FindField(*form, "metadata"), "{\"title\":\"T\"}");
  EXPECT_FALSE(FindField(*form, "file").has_value());  // a file part is never read in
  EXPECT_EQ(ScanMultipartFile(dir.File("missing"), "xyz").error().status, 400);
}

TEST(MultipartFileTest, TheRequestsFormFromItsSpooledFileOrItsBody) {
  testing::TempDir dir;
  const std::string body = "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--b--";
  Request req;
  req.headers.Add("Content-Type", "multipart/form-data; boundary=b");
  req.body = body;
  auto in_memory = ScanMultipartRequest(req);
  ASSERT_TRUE(in_memory.ok());
  EXPECT_EQ(FindField(*in_memory, "a"), "v");
  req.body.clear();
  req.body_file = Write(dir, "spooled", body);
  auto spooled = ScanMultipartRequest(req);
  ASSERT_TRUE(spooled.ok());
  EXPECT_EQ(FindField(*spooled, "a"), "v");
  Request json;
  json.headers.Add("Content-Type", "application/json");
  EXPECT_EQ(ScanMultipartRequest(json).error().status, 415);
}

}  // namespace
}  // namespace atrium::http
