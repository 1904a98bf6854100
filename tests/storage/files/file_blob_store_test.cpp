#include "storage/files/file_blob_store.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <thread>
#include <vector>

#include "support/temp_dir.hpp"

namespace atrium::storage::files {
namespace {

TEST(FileBlobStoreTest, PutGetReplaceRemove) {
  testing::TempDir dir;
  FileBlobStore store(dir.File("blobs"));
  const std::string bytes("\0binary\xff", 8);
  ASSERT_TRUE(store.Put("images/u1/a", bytes).ok());
  EXPECT_EQ(store.Get("images/u1/a").value(), bytes);
  ASSERT_TRUE(store.Put("images/u1/a", "second").ok());
  EXPECT_EQ(store.Get("images/u1/a").value(), "second");
  ASSERT_TRUE(store.Put("empty", "").ok());
  EXPECT_EQ(store.Get("empty").value(), "");
  ASSERT_TRUE(store.Remove("images/u1/a").ok());
  EXPECT_EQ(store.Get("images/u1/a").error().code(), core::ErrorCode::kNotFound);
  EXPECT_TRUE(store.Remove("images/u1/a").ok());  // removing a missing blob succeeds
  // No temporary files are left behind.
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir.File("blobs"))) {
    EXPECT_EQ(e.path().filename().string().find(".tmp."), std::string::npos) << e.path();
  }
}

TEST(FileBlobStoreTest, PutFileCopiesARangeAndLocalPathReadsIt) {
  testing::TempDir dir;
  FileBlobStore store(dir.File("blobs"));
  // Larger than the copy buffer, so the range crosses several blocks.
  std::string body(700 * 1024, '\0');
  for (std::size_t i = 0; i < body.size(); ++i) body[i] = static_cast<char>(i * 7 % 251);
  const auto source = dir.File("upload.bin");
  {
    std::FILE* f = std::fopen(source.c_str(), "wb");
    ASSERT_NE(f, nullptr);
    ASSERT_EQ(std::fwrite(body.data(), 1, body.size(), f), body.size());
    std::fclose(f);
  }
  ASSERT_TRUE(store.PutFile("documents/u1/d1", source, 1000, 600 * 1024).ok());
  EXPECT_EQ(store.Get("documents/u1/d1").value(), body.substr(1000, 600 * 1024));
  auto path = store.LocalPath("documents/u1/d1");
  ASSERT_TRUE(path.ok());
  EXPECT_EQ(std::filesystem::file_size(*path), 600u * 1024u);
  // A range past the end of the file is refused and stores nothing.
  auto past = store.PutFile("documents/u1/d2", source, body.size() - 10, 20);
  ASSERT_FALSE(past.ok());
  EXPECT_EQ(past.error().code(), core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(store.LocalPath("documents/u1/d2").error().code(), core::ErrorCode::kNotFound);
  EXPECT_EQ(store.PutFile("documents/u1/d3", dir.File("missing"), 0, 1).error().code(), core::ErrorCode::kUnavailable);
  EXPECT_EQ(store.LocalPath("../x").error().code(), core::ErrorCode::kInvalidArgument);
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir.File("blobs"))) {
    EXPECT_EQ(e.path().filename().string().find(".tmp."), std::string::npos) << e.path();
  }
}

TEST(FileBlobStoreTest, RefusesKeysThatEscape) {
  testing::TempDir dir;
  FileBlobStore store(dir.File("blobs"));
  for (const char* key : {"", "../x", "a/../../x", "/abs", "a//b", "a/", ".", "a b", "a\\b"}) {
    auto r = store.Put(key, "x");
    ASSERT_FALSE(r.ok()) << key;
    EXPECT_EQ(r.error().code(), core::ErrorCode::kInvalidArgument) << key;
    EXPECT_EQ(store.Get(key).error().code(), core::ErrorCode::kInvalidArgument) << key;
  }
  EXPECT_FALSE(std::filesystem::exists(dir.File("x")));
}

TEST(FileBlobStoreTest, ConcurrentWritersNeverTearAnObject) {
  testing::TempDir dir;
  FileBlobStore store(dir.File("blobs"));
  std::vector<std::thread> writers;
  for (int t = 0; t < 4; ++t) {
    writers.emplace_back([&store, t] {
      const std::string body(64 * 1024, static_cast<char>('a' + t));
      for (int i = 0; i < 20; ++i) ASSERT_TRUE(store.Put("shared", body).ok());
    });
  }
  for (auto& w : writers) w.join();
  const std::string last = store.Get("shared").value();
  ASSERT_EQ(last.size(), 64u * 1024);
  EXPECT_EQ(last.find_first_not_of(last[0]), std::string::npos);
}

}  // namespace
}  // namespace atrium::storage::files
