#include "core/text/stop_words.hpp"

#include <algorithm>
#include <array>

namespace atrium::core::text {

namespace {

// Sorted (std::binary_search): pronouns, determiners, auxiliaries and modals,
// prepositions, conjunctions, question words, the pieces contractions split into and a
// few verbs of asking ("tell", "remember"). Not "user": the spec's recall example finds
// "User works as a software engineer" for "user interface preferences".
constexpr std::array<std::string_view, 147> kStopWords = {
    "a",          "about",    "above",    "after",  "again", "against",  "all",        "am",      "an",      "and",
    "any",        "anything", "are",      "as",     "at",    "be",       "been",       "before",  "being",   "below",
    "between",    "both",     "but",      "by",     "can",   "could",    "d",          "did",     "do",      "does",
    "doing",      "down",     "during",   "each",   "few",   "for",      "from",       "further", "get",     "got",
    "had",        "has",      "have",     "having", "he",    "her",      "here",       "hers",    "herself", "him",
    "himself",    "his",      "how",      "i",      "if",    "in",       "into",       "is",      "it",      "its",
    "itself",     "just",     "know",     "let",    "ll",    "m",        "me",         "might",   "more",    "most",
    "must",       "my",       "myself",   "no",     "nor",   "not",      "now",        "of",      "off",     "on",
    "once",       "only",     "or",       "other",  "our",   "ours",     "ourselves",  "out",     "over",    "own",
    "please",     "re",       "remember", "s",      "same",  "shall",    "she",        "should",  "so",      "some",
    "something",  "such",     "t",        "tell",   "than",  "that",     "the",        "their",   "theirs",  "them",
    "themselves", "then",     "there",    "these",  "they",  "thing",    "things",     "this",    "those",   "through",
    "to",         "too",      "under",    "until",  "up",    "us",       "ve",         "very",    "was",     "we",
    "were",       "what",     "when",     "where",  "which", "while",    "who",        "whom",    "why",     "will",
    "with",       "would",    "you",      "your",   "yours", "yourself", "yourselves",
};

bool WordByte(unsigned char u) {
  return (u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || u == '_' || u >= 0x80;
}

}  // namespace

bool IsStopWord(std::string_view word) {
  if (word.empty() || word.size() > 12) return false;
  std::string lower(word);
  for (auto& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return std::binary_search(kStopWords.begin(), kStopWords.end(), std::string_view(lower));
}

std::string ContentWords(std::string_view text) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && !WordByte(static_cast<unsigned char>(text[i]))) ++i;
    const std::size_t start = i;
    while (i < text.size() && WordByte(static_cast<unsigned char>(text[i]))) ++i;
    if (i == start) break;
    const std::string_view word = text.substr(start, i - start);
    if (IsStopWord(word)) continue;
    if (!out.empty()) out += ' ';
    out += word;
  }
  return out.empty() ? std::string(text) : out;
}

}  // namespace atrium::core::text
