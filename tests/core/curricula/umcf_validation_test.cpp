// UMCF validation: the sample curriculum (tests/data/umcf/sample.umcf) is valid; every
// rule, broken on its own, yields exactly one problem at the exact path with the exact
// code; limits (depth, node count) stop the walk; wrong types are reported, never thrown.

#include "core/curricula/umcf_validation.hpp"

#include "core/curricula/umcf_duration.hpp"
#include "core/curricula/umcf_summary.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include <boost/json.hpp>

namespace atrium::core::curricula {
namespace {

namespace json = boost::json;

json::value Sample() {
  std::ifstream in(std::string(ATRIUM_TEST_DATA_DIR) + "/umcf/sample.umcf");
  std::stringstream text;
  text << in.rdbuf();
  return json::parse(text.str());
}

std::string Describe(const std::vector<UmcfProblem>& problems) {
  std::string out;
  for (const auto& p : problems) out += "  " + p.path + " [" + p.code + "] " + p.message + "\n";
  return out;
}

// The sample with one change applied; the change must yield exactly one problem.
template <class Change>
void ExpectOne(Change change, const std::string& path, std::string_view code) {
  json::value doc = Sample();
  change(doc);
  const auto problems = ValidateUmcf(doc);
  ASSERT_EQ(problems.size(), 1u) << Describe(problems);
  EXPECT_EQ(problems[0].path, path);
  EXPECT_EQ(problems[0].code, code) << problems[0].message;
  EXPECT_FALSE(problems[0].message.empty());
}

json::object& Root(json::value& doc) { return doc.as_object(); }
json::object& Node(json::value& doc, std::size_t unit) { return doc.at("content").at(unit).as_object(); }
json::object& Topic(json::value& doc, std::size_t unit, std::size_t topic) {
  return Node(doc, unit).at("children").at(topic).as_object();
}
json::object& Segment(json::value& doc, std::size_t unit, std::size_t topic, std::size_t segment) {
  return Topic(doc, unit, topic).at("transcript").at("segments").at(segment).as_object();
}
json::object& Embedded(json::value& doc, std::size_t unit, std::size_t topic, std::size_t i) {
  return Topic(doc, unit, topic).at("media").at("embedded").at(i).as_object();
}

TEST(UmcfValidation, SampleIsValid) {
  const auto problems = ValidateUmcf(Sample());
  EXPECT_TRUE(problems.empty()) << Describe(problems);
}

TEST(UmcfValidation, DocumentMustBeAnObject) {
  const auto problems = ValidateUmcf(json::array{});
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0], (UmcfProblem{"", "wrong_type", "the document must be an object, not an array"}));
}

TEST(UmcfValidation, FormatIdentifier) {
  ExpectOne([](json::value& d) { Root(d)["formatIdentifier"] = "imscc"; }, "formatIdentifier", "invalid_value");
  ExpectOne([](json::value& d) { Root(d).erase("formatIdentifier"); }, "formatIdentifier", "missing_field");
  ExpectOne([](json::value& d) { Root(d)["formatIdentifier"] = 1; }, "formatIdentifier", "wrong_type");
}

TEST(UmcfValidation, DocumentId) {
  ExpectOne([](json::value& d) { Root(d).erase("id"); }, "id", "missing_field");
  ExpectOne([](json::value& d) { Root(d)["id"] = "renaissance"; }, "id", "wrong_type");
  ExpectOne([](json::value& d) { Root(d)["id"].as_object().erase("value"); }, "id.value", "missing_field");
  ExpectOne([](json::value& d) { Root(d)["id"].as_object()["value"] = ""; }, "id.value", "invalid_value");
  ExpectOne([](json::value& d) { Root(d)["id"].as_object()["value"] = "a b"; }, "id.value", "invalid_value");
  ExpectOne([](json::value& d) { Root(d)["id"].as_object()["value"] = "../etc"; }, "id.value", "invalid_value");
  ExpectOne([](json::value& d) { Root(d)["id"].as_object()["value"] = std::string(201, 'a'); }, "id.value",
            "too_large");
  json::value doc = Sample();
  Root(doc)["id"].as_object()["value"] = std::string(200, 'a');
  EXPECT_TRUE(ValidateUmcf(doc).empty());
}

TEST(UmcfValidation, Title) {
  ExpectOne([](json::value& d) { Root(d).erase("title"); }, "title", "missing_field");
  ExpectOne([](json::value& d) { Root(d)["title"] = nullptr; }, "title", "missing_field");
  ExpectOne([](json::value& d) { Root(d)["title"] = ""; }, "title", "invalid_value");
  ExpectOne([](json::value& d) { Root(d)["title"] = std::string(501, 't'); }, "title", "too_large");
  ExpectOne([](json::value& d) { Root(d)["title"] = json::array{"x"}; }, "title", "wrong_type");
}

TEST(UmcfValidation, VersionNumber) {
  ExpectOne([](json::value& d) { Root(d).erase("version"); }, "version", "missing_field");
  ExpectOne([](json::value& d) { Root(d)["version"].as_object().erase("number"); }, "version.number", "missing_field");
  ExpectOne([](json::value& d) { Root(d)["version"].as_object()["number"] = 1.0; }, "version.number", "wrong_type");
  for (const char* bad : {"", "v1", "1..0", "1.0.", ".1", "1.0-beta"}) {
    ExpectOne([bad](json::value& d) { Root(d)["version"].as_object()["number"] = bad; }, "version.number",
              "invalid_value");
  }
  json::value doc = Sample();
  Root(doc)["version"].as_object()["number"] = "2";
  EXPECT_TRUE(ValidateUmcf(doc).empty());
}

TEST(UmcfValidation, Content) {
  ExpectOne([](json::value& d) { Root(d).erase("content"); }, "content", "missing_field");
  ExpectOne([](json::value& d) { Root(d)["content"] = json::object{}; }, "content", "wrong_type");
  ExpectOne([](json::value& d) { Root(d)["content"].as_array().push_back("unit"); }, "content[2]", "wrong_type");
}

TEST(UmcfValidation, NodeFields) {
  ExpectOne([](json::value& d) { Topic(d, 0, 1).erase("id"); }, "content[0].children[1].id", "missing_field");
  ExpectOne([](json::value& d) { Topic(d, 0, 1)["id"].as_object()["value"] = 7; }, "content[0].children[1].id.value",
            "wrong_type");
  ExpectOne([](json::value& d) { Topic(d, 0, 1).erase("title"); }, "content[0].children[1].title", "missing_field");
  ExpectOne([](json::value& d) { Topic(d, 0, 1)["title"] = std::string(501, 't'); }, "content[0].children[1].title",
            "too_large");
  ExpectOne([](json::value& d) { Topic(d, 0, 1).erase("type"); }, "content[0].children[1].type", "missing_field");
  ExpectOne([](json::value& d) { Topic(d, 0, 1)["type"] = "chapter"; }, "content[0].children[1].type", "invalid_value");
  ExpectOne([](json::value& d) { Node(d, 1)["children"] = json::object{}; }, "content[1].children", "wrong_type");
  ExpectOne([](json::value& d) { Node(d, 1)["description"] = 3; }, "content[1].description", "wrong_type");
  ExpectOne([](json::value& d) { Node(d, 1)["orderIndex"] = "first"; }, "content[1].orderIndex", "wrong_type");
}

TEST(UmcfValidation, EveryDocumentedNodeTypeIsAccepted) {
  for (const char* type : {"curriculum", "unit", "module", "topic", "subtopic", "lesson", "section", "segment"}) {
    json::value doc = Sample();
    Node(doc, 1)["type"] = type;
    EXPECT_TRUE(ValidateUmcf(doc).empty()) << type;
  }
}

TEST(UmcfValidation, DuplicateNodeIds) {
  ExpectOne([](json::value& d) { Topic(d, 1, 0)["id"].as_object()["value"] = "topic-1"; },
            "content[1].children[0].id.value", "duplicate_id");
  ExpectOne([](json::value& d) { Node(d, 1)["id"].as_object()["value"] = "unit-1"; }, "content[1].id.value",
            "duplicate_id");
  json::value doc = Sample();
  Topic(doc, 1, 0)["id"].as_object()["value"] = "topic-1";
  EXPECT_EQ(ValidateUmcf(doc)[0].message,
            "content[1].children[0].id.value \"topic-1\" is already the id of content[0].children[0]");
}

TEST(UmcfValidation, Transcript) {
  const std::string t = "content[0].children[0].transcript";
  ExpectOne([](json::value& d) { Topic(d, 0, 0)["transcript"] = json::array{}; }, t, "wrong_type");
  ExpectOne([](json::value& d) { Topic(d, 0, 0)["transcript"].as_object().erase("segments"); }, t + ".segments",
            "missing_field");
  ExpectOne([](json::value& d) { Topic(d, 0, 0)["transcript"].as_object()["segments"] = "text"; }, t + ".segments",
            "wrong_type");
  ExpectOne([](json::value& d) { Topic(d, 0, 0)["transcript"].as_object()["segments"].as_array().push_back(1); },
            t + ".segments[2]", "wrong_type");
  for (const char* bad : {"45 minutes", "PT", "P", "PT1.5H", "PT45M30H", "P1Y", "PT45"}) {
    ExpectOne([bad](json::value& d) { Topic(d, 0, 0)["transcript"].as_object()["totalDuration"] = bad; },
              t + ".totalDuration", "invalid_value");
  }
  ExpectOne([](json::value& d) { Topic(d, 0, 0)["transcript"].as_object()["totalDuration"] = 2700; },
            t + ".totalDuration", "wrong_type");
}

TEST(UmcfValidation, Segments) {
  const std::string s = "content[0].children[0].transcript.segments[1]";
  ExpectOne([](json::value& d) { Segment(d, 0, 0, 1).erase("id"); }, s + ".id", "missing_field");
  ExpectOne([](json::value& d) { Segment(d, 0, 0, 1)["id"] = "seg-1"; }, s + ".id", "duplicate_id");
  ExpectOne([](json::value& d) { Segment(d, 0, 0, 1).erase("type"); }, s + ".type", "missing_field");
  ExpectOne([](json::value& d) { Segment(d, 0, 0, 1)["type"] = 2; }, s + ".type", "wrong_type");
  ExpectOne([](json::value& d) { Segment(d, 0, 0, 1).erase("content"); }, s + ".content", "missing_field");
  ExpectOne([](json::value& d) { Segment(d, 0, 0, 1)["content"] = 42; }, s + ".content", "wrong_type");
  ExpectOne([](json::value& d) { Segment(d, 0, 0, 1)["content"] = ""; }, s + ".content", "invalid_value");
  // Segment ids repeat freely across transcripts (every sample topic has a seg-1).
  EXPECT_TRUE(ValidateUmcf(Sample()).empty());
}

TEST(UmcfValidation, TextLimitIsConfigurable) {
  UmcfLimits limits;
  limits.max_text_bytes = 10;
  json::value doc = Sample();
  const auto problems = ValidateUmcf(doc, limits);
  ASSERT_FALSE(problems.empty());
  EXPECT_EQ(problems[0].path, "description");
  EXPECT_EQ(problems[0].code, "too_large");
}

TEST(UmcfValidation, SpeakingNotes) {
  const std::string n = "content[0].children[0].transcript.segments[0].speakingNotes";
  ExpectOne([](json::value& d) { Segment(d, 0, 0, 0)["speakingNotes"] = "slowly"; }, n, "wrong_type");
  ExpectOne([](json::value& d) { Segment(d, 0, 0, 0)["speakingNotes"].as_object()["pace"] = 1; }, n + ".pace",
            "wrong_type");
  ExpectOne([](json::value& d) { Segment(d, 0, 0, 0)["speakingNotes"].as_object()["emphasis"] = "word"; },
            n + ".emphasis", "wrong_type");
  ExpectOne(
      [](json::value& d) {
        Segment(d, 0, 0, 0)["speakingNotes"].as_object()["emphasis"] = json::array{"a", 1};
      },
      n + ".emphasis[1]", "wrong_type");
  ExpectOne([](json::value& d) { Segment(d, 0, 0, 0)["speakingNotes"].as_object()["pauseAfter"] = "yes"; },
            n + ".pauseAfter", "wrong_type");
}

TEST(UmcfValidation, PronunciationGuide) {
  const std::string g = "content[0].children[0].transcript.pronunciationGuide";
  auto guide = [](json::value& d) -> json::object& {
    return Topic(d, 0, 0)["transcript"].as_object()["pronunciationGuide"].as_object();
  };
  ExpectOne([](json::value& d) { Topic(d, 0, 0)["transcript"].as_object()["pronunciationGuide"] = json::array{}; }, g,
            "wrong_type");
  ExpectOne([&](json::value& d) { guide(d)["Medici"] = "MED-ih-chee"; }, g + ".Medici", "wrong_type");
  ExpectOne([&](json::value& d) { guide(d)["Medici"] = json::object{}; }, g + ".Medici", "missing_field");
  ExpectOne([&](json::value& d) { guide(d)["Medici"].as_object()["ipa"] = 5; }, g + ".Medici.ipa", "wrong_type");
  ExpectOne([&](json::value& d) { guide(d)["Medici"].as_object()["respelling"] = json::object{}; },
            g + ".Medici.respelling", "wrong_type");
  json::value doc = Sample();
  guide(doc)["Medici"].as_object().erase("ipa");
  EXPECT_TRUE(ValidateUmcf(doc).empty());
}

TEST(UmcfValidation, MediaShape) {
  const std::string m = "content[0].children[0].media";
  ExpectOne([](json::value& d) { Topic(d, 0, 0)["media"] = json::array{}; }, m, "wrong_type");
  ExpectOne([](json::value& d) { Topic(d, 0, 0)["media"].as_object()["embedded"] = json::object{}; }, m + ".embedded",
            "wrong_type");
  ExpectOne([](json::value& d) { Topic(d, 0, 0)["media"].as_object()["reference"].as_array().push_back("x"); },
            m + ".reference[1]", "wrong_type");
  ExpectOne([](json::value& d) { Embedded(d, 0, 0, 1).erase("id"); }, m + ".embedded[1].id", "missing_field");
  ExpectOne([](json::value& d) { Embedded(d, 0, 0, 1)["id"] = "map-city-states"; }, m + ".embedded[1].id",
            "duplicate_id");
  ExpectOne([](json::value& d) { Embedded(d, 1, 0, 0)["id"] = "map-city-states"; },
            "content[1].children[0].media.embedded[0].id", "duplicate_id");
  ExpectOne([](json::value& d) { Embedded(d, 0, 0, 1).erase("type"); }, m + ".embedded[1].type", "missing_field");
  ExpectOne([](json::value& d) { Embedded(d, 0, 0, 1)["type"] = "video"; }, m + ".embedded[1].type", "invalid_value");
  ExpectOne([](json::value& d) { Embedded(d, 0, 0, 1)["alt"] = 3; }, m + ".embedded[1].alt", "wrong_type");
}

TEST(UmcfValidation, DiagramEntries) {
  const std::string e = "content[0].children[0].media.embedded[1]";
  ExpectOne([](json::value& d) { Embedded(d, 0, 0, 1).erase("code"); }, e + ".code", "missing_field");
  ExpectOne([](json::value& d) { Embedded(d, 0, 0, 1)["code"] = json::array{}; }, e + ".code", "wrong_type");
  ExpectOne([](json::value& d) { Embedded(d, 0, 0, 1).erase("format"); }, e + ".format", "missing_field");
  ExpectOne([](json::value& d) { Embedded(d, 0, 0, 1)["format"] = "visio"; }, e + ".format", "invalid_value");
  // A rendered diagram is a file: format is then the file's.
  json::value doc = Sample();
  Embedded(doc, 0, 0, 1).erase("code");
  Embedded(doc, 0, 0, 1)["format"] = "svg";
  Embedded(doc, 0, 0, 1)["url"] = "/assets/trade.svg";
  EXPECT_TRUE(ValidateUmcf(doc).empty()) << Describe(ValidateUmcf(doc));
}

TEST(UmcfValidation, FormulaAndImageEntries) {
  const std::string f = "content[1].children[0].media.embedded[0]";
  ExpectOne([](json::value& d) { Embedded(d, 1, 0, 0).erase("latex"); }, f + ".latex", "missing_field");
  ExpectOne([](json::value& d) { Embedded(d, 1, 0, 0)["latex"] = 1; }, f + ".latex", "wrong_type");
  ExpectOne([](json::value& d) { Embedded(d, 1, 0, 0)["displayMode"] = "yes"; }, f + ".displayMode", "wrong_type");
  const std::string i = "content[0].children[0].media.reference[0]";
  auto image = [](json::value& d) -> json::object& {
    return Topic(d, 0, 0)["media"].as_object()["reference"].as_array()[0].as_object();
  };
  ExpectOne([&](json::value& d) { image(d).erase("url"); }, i + ".url", "missing_field");
  ExpectOne([&](json::value& d) { image(d)["url"] = json::object{}; }, i + ".url", "wrong_type");
}

TEST(UmcfValidation, MapEntries) {
  const std::string e = "content[0].children[0].media.embedded[0]";
  auto map = [](json::value& d) -> json::object& { return Embedded(d, 0, 0, 0); };
  ExpectOne([&](json::value& d) { map(d).erase("center"); }, e + ".center", "missing_field");
  ExpectOne([&](json::value& d) { map(d)["center"] = json::array{43, 12}; }, e + ".center", "wrong_type");
  ExpectOne([&](json::value& d) { map(d)["center"].as_object()["latitude"] = 91; }, e + ".center.latitude",
            "invalid_value");
  ExpectOne([&](json::value& d) { map(d)["center"].as_object()["longitude"] = "12E"; }, e + ".center.longitude",
            "wrong_type");
  ExpectOne([&](json::value& d) { map(d)["zoom"] = 19; }, e + ".zoom", "invalid_value");
  ExpectOne([&](json::value& d) { map(d)["markers"] = json::object{}; }, e + ".markers", "wrong_type");
  ExpectOne([&](json::value& d) { map(d)["markers"].as_array()[0].as_object().erase("longitude"); },
            e + ".markers[0].longitude", "missing_field");
  ExpectOne(
      [&](json::value& d) {
        map(d)["routes"].as_array()[0].as_object()["points"] = json::array{{41.9, 12.5}};
      },
      e + ".routes[0].points", "invalid_value");
  ExpectOne([&](json::value& d) { map(d)["routes"].as_array()[0].as_object()["points"].as_array()[1] = "Florence"; },
            e + ".routes[0].points[1]", "wrong_type");
  ExpectOne([&](json::value& d) { map(d)["regions"].as_array()[0].as_object()["fillOpacity"] = 2; },
            e + ".regions[0].fillOpacity", "invalid_value");
  ExpectOne(
      [&](json::value& d) {
        map(d)["regions"].as_array()[0].as_object()["points"].as_array()[0] = json::array{0, 200};
      },
      e + ".regions[0].points[0]", "invalid_value");
}

// A chain of nodes depth levels deep, each the only child of the one above.
json::value Chain(std::size_t depth) {
  json::value doc = Sample();
  json::array level;
  for (std::size_t d = depth; d >= 1; --d) {
    json::object node{{"id", {{"value", "n" + std::to_string(d)}}}, {"title", "Level"}, {"type", "section"}};
    if (!level.empty()) node["children"] = std::move(level);
    level = json::array{std::move(node)};
  }
  Root(doc)["content"] = std::move(level);
  return doc;
}

TEST(UmcfValidation, SixteenLevelsAreAllowedSeventeenAreTooDeep) {
  EXPECT_TRUE(ValidateUmcf(Chain(16)).empty());
  const auto problems = ValidateUmcf(Chain(17));
  ASSERT_EQ(problems.size(), 1u) << Describe(problems);
  std::string path = "content[0]";
  for (int i = 0; i < 16; ++i) path += ".children[0]";
  EXPECT_EQ(problems[0].path, path);
  EXPECT_EQ(problems[0].code, "too_deep");
}

TEST(UmcfValidation, TooManyNodes) {
  UmcfLimits limits;
  limits.max_nodes = 5;  // the sample has five
  EXPECT_TRUE(ValidateUmcf(Sample(), limits).empty());
  limits.max_nodes = 4;
  const auto problems = ValidateUmcf(Sample(), limits);
  ASSERT_EQ(problems.size(), 1u) << Describe(problems);
  EXPECT_EQ(problems[0], (UmcfProblem{"content", "too_large", "content holds more than 4 nodes"}));
}

TEST(UmcfValidation, TenThousandAndOneNodes) {
  json::value doc = Sample();
  json::array wide;
  for (int i = 0; i < 10001; ++i) {
    wide.push_back(json::object{{"id", {{"value", "n" + std::to_string(i)}}}, {"title", "T"}, {"type", "topic"}});
  }
  Root(doc)["content"] = std::move(wide);
  const auto problems = ValidateUmcf(doc);
  ASSERT_EQ(problems.size(), 1u) << Describe(problems);
  EXPECT_EQ(problems[0].code, "too_large");
}

// Every field of the wrong kind: each reported where it is, none thrown.
TEST(UmcfValidation, WrongTypesEverywhere) {
  const json::value doc = json::parse(R"({
    "formatIdentifier": ["umcf"], "id": {"value": 12}, "title": {"text": "T"},
    "version": {"number": 1}, "description": false, "metadata": [],
    "content": [{"id": "x", "title": 5, "type": ["topic"], "children": {"a": 1},
                 "transcript": {"segments": {"0": {}}, "pronunciationGuide": "none"},
                 "media": {"embedded": [{"id": 9, "type": 1}]}}]
  })");
  const auto problems = ValidateUmcf(doc);
  std::vector<std::string> paths;
  for (const auto& p : problems) {
    EXPECT_EQ(p.code, "wrong_type") << p.path << ": " << p.message;
    paths.push_back(p.path);
  }
  EXPECT_EQ(paths, (std::vector<std::string>{
                       "formatIdentifier", "id.value", "title", "description", "version.number", "metadata",
                       "content[0].id", "content[0].title", "content[0].type", "content[0].transcript.segments",
                       "content[0].transcript.pronunciationGuide", "content[0].media.embedded[0].id",
                       "content[0].media.embedded[0].type", "content[0].children"}));
  EXPECT_EQ(problems[0].message, "formatIdentifier must be a string, not an array");
}

TEST(UmcfValidation, ProblemsAreCapped) {
  json::value doc = Sample();
  json::array wide;
  for (int i = 0; i < 500; ++i) wide.push_back(i);
  Root(doc)["content"] = std::move(wide);
  EXPECT_EQ(ValidateUmcf(doc).size(), 100u);
}

TEST(UmcfSummary, OfTheSample) {
  const auto summary = SummarizeUmcf(Sample());
  ASSERT_TRUE(summary.ok()) << summary.error().internal_message();
  EXPECT_EQ(summary->id, "renaissance-italy");
  EXPECT_EQ(summary->title, "Renaissance Italy");
  EXPECT_EQ(summary->description, "City-states, trade and the mathematics of the age");
  EXPECT_EQ(summary->author, "Dr. Smith");
  EXPECT_EQ(summary->language, "en");
  EXPECT_EQ(summary->version, "1.0.0");
  EXPECT_EQ(summary->node_count, 5u);
  EXPECT_EQ(summary->topics_count, 3u);
  EXPECT_EQ(summary->total_duration_seconds, (45 + 30 + 60) * 60.0);

  ASSERT_EQ(summary->topics.size(), 3u);
  const UmcfTopic& first = summary->topics[0];
  EXPECT_EQ(first.id, "topic-1");
  EXPECT_EQ(first.title, "Florence and Venice");
  EXPECT_EQ(first.description, "Two republics and their trade");
  EXPECT_EQ(first.type, "topic");
  EXPECT_EQ(first.path, "content[0].children[0]");
  EXPECT_EQ(first.duration_seconds, 2700.0);
  EXPECT_EQ(first.segment_count, 2u);
  EXPECT_EQ(first.media_ids, (std::vector<std::string>{"map-city-states", "diagram-trade", "img-duomo"}));
  EXPECT_EQ(summary->topics[1].path, "content[0].children[1]");
  EXPECT_EQ(summary->topics[2].path, "content[1].children[0]");
  EXPECT_EQ(summary->topics[2].media_ids, (std::vector<std::string>{"formula-quadratic"}));
}

TEST(UmcfSummary, MediaAssets) {
  const auto summary = SummarizeUmcf(Sample());
  ASSERT_TRUE(summary.ok());
  ASSERT_EQ(summary->media.size(), 4u);
  const UmcfMediaAsset& map = summary->media[0];
  EXPECT_EQ(map.kind, UmcfMediaKind::kMap);
  EXPECT_EQ(map.node_id, "topic-1");
  EXPECT_EQ(map.path, "content[0].children[0].media.embedded[0]");
  ASSERT_TRUE(map.map.has_value());
  EXPECT_EQ(map.map->title, "Italian City-States");
  EXPECT_EQ(map.map->center.latitude, 43.0);
  EXPECT_EQ(map.map->zoom, 6);
  EXPECT_EQ(map.map->style, "educational");
  ASSERT_EQ(map.map->markers.size(), 1u);
  EXPECT_EQ(map.map->markers[0].label, "Rome");
  ASSERT_EQ(map.map->routes.size(), 1u);
  EXPECT_EQ(map.map->routes[0].points.size(), 2u);
  ASSERT_EQ(map.map->regions.size(), 1u);
  EXPECT_EQ(map.map->regions[0].fill_opacity, 0.3);

  const UmcfMediaAsset& diagram = summary->media[1];
  EXPECT_EQ(diagram.kind, UmcfMediaKind::kDiagram);
  EXPECT_EQ(diagram.diagram_format, "mermaid");
  EXPECT_EQ(diagram.code, "graph LR\n  Venice --> Florence");
  EXPECT_EQ(diagram.alt, "Goods flowing from Venice to Florence");

  EXPECT_EQ(summary->media[2].kind, UmcfMediaKind::kImage);
  EXPECT_EQ(summary->media[2].url, "/assets/duomo.png");
  EXPECT_EQ(summary->media[2].path, "content[0].children[0].media.reference[0]");

  const UmcfMediaAsset& formula = summary->media[3];
  EXPECT_EQ(formula.kind, UmcfMediaKind::kFormula);
  EXPECT_EQ(formula.latex, "x = \\frac{-b \\pm \\sqrt{b^2-4ac}}{2a}");
  EXPECT_TRUE(formula.display_mode);
  EXPECT_EQ(formula.node_id, "topic-3");
}

TEST(UmcfSummary, RefusesAnInvalidDocument) {
  json::value doc = Sample();
  Root(doc)["formatIdentifier"] = "imscc";
  const auto summary = SummarizeUmcf(doc);
  ASSERT_FALSE(summary.ok());
  EXPECT_EQ(summary.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(summary.error().safe_message(), "The curriculum is not valid UMCF: formatIdentifier must be \"umcf\"");
}

TEST(UmcfSummary, NoDurationWhenNoTopicHasOne) {
  json::value doc = Sample();
  for (auto [unit, topic] : {std::pair{0, 0}, {0, 1}, {1, 0}}) {
    Topic(doc, unit, topic)["transcript"].as_object().erase("totalDuration");
  }
  const auto summary = SummarizeUmcf(doc);
  ASSERT_TRUE(summary.ok());
  EXPECT_FALSE(summary->total_duration_seconds.has_value());
  EXPECT_FALSE(summary->topics[0].duration_seconds.has_value());
}

TEST(UmcfDuration, Parses) {
  EXPECT_EQ(ParseUmcfDuration("PT45M"), 2700.0);
  EXPECT_EQ(ParseUmcfDuration("PT1H30M"), 5400.0);
  EXPECT_EQ(ParseUmcfDuration("PT1.5S"), 1.5);
  EXPECT_EQ(ParseUmcfDuration("P1DT2H"), 93600.0);
  EXPECT_EQ(ParseUmcfDuration("P2D"), 172800.0);
  for (const char* bad : {"", "P", "PT", "P1DT", "PT1M2H", "PT1HH", "P1M", "PT-1M", "pt45m", "PT1234567890S"}) {
    EXPECT_FALSE(ParseUmcfDuration(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace atrium::core::curricula
