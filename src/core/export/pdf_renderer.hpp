#pragma once
// The PDF form of a conversation export. The core owns the interface; an engine
// (src/engines/export) implements it on a layout and rendering library.

#include <string>

#include "core/export/conversation_export.hpp"
#include "core/result.hpp"

namespace atrium::core::exports {

class ConversationPdfRenderer {
 public:
  virtual ~ConversationPdfRenderer() = default;
  // The whole PDF document, in memory (an export is a download of bounded size, so the
  // bytes are returned rather than streamed to a path). Text is laid out as plain text:
  // nothing in a title or a message is read as markup. kResourceExhausted with
  // Reason::kNone when the document would pass the renderer's page limit; kInternal
  // when the rendering library fails. Thread-safe: any number of calls may run at once.
  virtual Result<std::string> Render(const ExportedConversation& exported) const = 0;
};

// The export in `format`: JSON and Markdown rendered here (they cannot fail), PDF by
// `pdf`.
Result<std::string> RenderExport(ExportFormat format, const ExportedConversation& exported,
                                 const ConversationPdfRenderer& pdf);

}  // namespace atrium::core::exports
