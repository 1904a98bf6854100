#include "core/export/markdown_blocks.hpp"

#include <gtest/gtest.h>

namespace atrium::core::exports {
namespace {

TEST(MarkdownBlocksTest, ClosedOrPlainTextNeedsNothing) {
  for (const char* text : {"", "plain", "```\ncode\n```", "~~~\n~~~~", "<pre>x</pre>", "<!-- c -->", "<?x ?>",
                           "<!DOCTYPE html>", "<![CDATA[x]]>", "<div>\nnot raw", "`` inline ``", "``` a ` b",
                           "    ```\n    indented code", "> ```\n> in a quote", "- ```\n  in an item"}) {
    EXPECT_EQ(ClosingForOpenBlocks(text), "") << text;
  }
}

TEST(MarkdownBlocksTest, OpenFenceGetsItsCharacterAndLength) {
  EXPECT_EQ(ClosingForOpenBlocks("```\ncode"), "```\n");
  EXPECT_EQ(ClosingForOpenBlocks("```python\ncode"), "```\n");
  EXPECT_EQ(ClosingForOpenBlocks("~~~~~\ncode\n~~~"), "~~~~~\n");
  EXPECT_EQ(ClosingForOpenBlocks("   ````\n```"), "````\n");
  EXPECT_EQ(ClosingForOpenBlocks("```\n~~~\n"), "```\n");
  EXPECT_EQ(ClosingForOpenBlocks("```\na\n```\n```\nb"), "```\n");
  EXPECT_EQ(ClosingForOpenBlocks("```\n```   "), "");
  EXPECT_EQ(ClosingForOpenBlocks("```\n``` x"), "```\n");  // a closing fence has no info string
}

TEST(MarkdownBlocksTest, ListItemsAndQuotesCloseTheirOwnBlocks) {
  EXPECT_EQ(ClosingForOpenBlocks("- item\n\n  ```\n  code"), "");
  EXPECT_EQ(ClosingForOpenBlocks("1. item\n   ```\n   code"), "");
  EXPECT_EQ(ClosingForOpenBlocks("1. item\n  ```\ncode"), "```\n");  // under the item's column: top level
  EXPECT_EQ(ClosingForOpenBlocks("- item\n```\ncode"), "```\n");
  EXPECT_EQ(ClosingForOpenBlocks("> quote\n```\ncode"), "```\n");
  EXPECT_EQ(ClosingForOpenBlocks("---\n```"), "```\n");  // a thematic break, not a list
}

TEST(MarkdownBlocksTest, OpenRawHtmlGetsItsEndMarker) {
  EXPECT_EQ(ClosingForOpenBlocks("<pre>\ntext"), "</pre>\n");
  EXPECT_EQ(ClosingForOpenBlocks("<PRE class=x>\ntext"), "</pre>\n");
  EXPECT_EQ(ClosingForOpenBlocks("<script>\nx\n</SCRIPT>"), "");
  EXPECT_EQ(ClosingForOpenBlocks("<style"), "</style>\n");
  EXPECT_EQ(ClosingForOpenBlocks("<textarea>"), "</textarea>\n");
  EXPECT_EQ(ClosingForOpenBlocks("<!--"), "-->\n");
  EXPECT_EQ(ClosingForOpenBlocks("<?php"), "?>\n");
  EXPECT_EQ(ClosingForOpenBlocks("<!DOCTYPE"), ">\n");
  EXPECT_EQ(ClosingForOpenBlocks("<![CDATA[ x"), "]]>\n");
  EXPECT_EQ(ClosingForOpenBlocks("<prefix>\nnot pre"), "");
}

}  // namespace
}  // namespace atrium::core::exports
