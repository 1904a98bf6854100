// The HTTP speech engines against the fake upstream (tests/upstream/fake_openai.py) over
// the real transport: espeak-ng's speech sent as a multipart WAV to /audio/transcriptions
// (where the fake runs pocketsphinx on it, so real words come back), /audio/speech
// decoded, voices checked, and the gateway's retry rule on 500s and refusals.

#include <gtest/gtest.h>

#include <fstream>
#include <iostream>
#include <sstream>

#include "core/random.hpp"
#include "core/speech/http_speech_to_text.hpp"
#include "core/speech/http_text_to_speech.hpp"
#include "engines/audio/sndfile_decoder.hpp"
#include "engines/tts/espeak_engine.hpp"
#include "support/fake_upstream_process.hpp"
#include "transport/http/beast_http_fetcher.hpp"

namespace atrium::core::speech {
namespace {

using namespace std::chrono_literals;

class HttpSpeechTest : public ::testing::Test {
 protected:
  SpeechUpstreamConfig Config(const testing::FakeUpstreamProcess& fake, std::string model) {
    SpeechUpstreamConfig c;
    c.base_url = fake.base();
    c.model = std::move(model);
    c.voice = "alloy";
    c.voices = {"alloy", "nova"};
    c.timeout = 30s;
    c.retry_backoff = 10ms;
    return c;
  }
  static SttOptions Within(std::chrono::seconds s) {
    SttOptions o;
    o.deadline = std::chrono::steady_clock::now() + s;
    return o;
  }

  transport::BeastHttpFetcher fetcher_;
  SecureRandom random_;
  engines::audio::SndfileDecoder decoder_;
};

TEST_F(HttpSpeechTest, EspeakSpeechThroughTheHttpRecogniser) {
  testing::TempDir dir;
  {
    std::ofstream g(dir.File("commands.gram"));
    g << "#JSGF V1.0;\ngrammar commands;\npublic <s> = open the garage door | turn off the television | "
         "read me the news | good night;\n";
  }
  testing::FakeUpstreamProcess fake(ATRIUM_FAKE_UPSTREAM, {"--grammar", dir.File("commands.gram")});
  HttpSpeechToText stt(Config(fake, "whisper-1"), fetcher_, random_);
  EXPECT_TRUE(stt.Status().available) << stt.Status().detail;
  engines::tts::EspeakEngine espeak({});
  std::size_t heard_words = 0;
  for (const std::string sentence : {"open the garage door", "turn off the television", "read me the news"}) {
    auto spoken = espeak.Synthesize(sentence, {});
    ASSERT_TRUE(spoken.ok());
    auto at16k = decoder_.Resample(*spoken, 16000);
    ASSERT_TRUE(at16k.ok());
    auto heard = stt.Transcribe(*at16k, Within(60s));
    ASSERT_TRUE(heard.ok()) << heard.error().internal_message();
    std::cout << "  \"" << sentence << "\" -> \"" << heard->text << "\" (http)\n";
    std::istringstream ref(sentence);
    for (std::string w; ref >> w;) heard_words += heard->text.find(w) != std::string::npos ? 1 : 0;
    EXPECT_EQ(heard->language, "en");
  }
  EXPECT_GE(heard_words, 10u);  // of 11: the fake's recogniser is pocketsphinx with the same grammar
}

TEST_F(HttpSpeechTest, SpeechComesBackAsDecodedAudio) {
  testing::FakeUpstreamProcess fake(ATRIUM_FAKE_UPSTREAM);
  HttpTextToSpeech tts(Config(fake, "tts-1"), fetcher_, decoder_);
  TtsOptions o;
  o.deadline = std::chrono::steady_clock::now() + 60s;
  auto pcm = tts.Synthesize("good night", o);
  ASSERT_TRUE(pcm.ok()) << pcm.error().internal_message();
  EXPECT_EQ(pcm->channels, 1);
  EXPECT_GT(pcm->duration_s(), 0.3);
  o.voice = "nova";
  EXPECT_TRUE(tts.Synthesize("good night", o).ok());
  o.voice = "no-such-voice";
  auto bad = tts.Synthesize("good night", o);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().reason(), Reason::kInvalidVoice);
  EXPECT_EQ(tts.Voices(), (std::vector<std::string>{"alloy", "nova"}));
}

TEST_F(HttpSpeechTest, UpstreamFailuresAreRetriedThenReportedUnavailable) {
  testing::FakeUpstreamProcess failing(ATRIUM_FAKE_UPSTREAM, {"--fail", "500"});
  auto config = Config(failing, "whisper-1");
  config.max_retries = 2;
  HttpSpeechToText stt(config, fetcher_, random_);
  audio::PcmAudio a{16000, 1, std::vector<float>(16000, 0.0f)};
  auto r = stt.Transcribe(a, Within(30s));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kUnavailable);
  EXPECT_EQ(r.error().reason(), Reason::kSpeechUnavailable);
  EXPECT_NE(r.error().internal_message().find("HTTP 500"), std::string::npos);
  auto stats = fetcher_.Get(failing.url() + "/__fake/stats", {}, 5s);
  ASSERT_TRUE(stats.ok());
  EXPECT_NE(stats->body.find("\"/v1/audio/transcriptions\": 3"), std::string::npos) << stats->body;

  // A model the upstream does not have: 404, not retried, unavailable with its message.
  testing::FakeUpstreamProcess fake(ATRIUM_FAKE_UPSTREAM);
  HttpSpeechToText wrong(Config(fake, "no-such-model"), fetcher_, random_);
  auto missing = wrong.Transcribe(a, Within(30s));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().reason(), Reason::kSpeechUnavailable);

  // Nobody listening: connect failures, then unavailable; the health probe says so.
  SpeechUpstreamConfig gone;
  gone.base_url = "http://127.0.0.1:1/v1";
  gone.max_retries = 1;
  gone.retry_backoff = 10ms;
  HttpSpeechToText nobody(gone, fetcher_, random_);
  auto refused = nobody.Transcribe(a, Within(30s));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().reason(), Reason::kSpeechUnavailable);
  EXPECT_FALSE(nobody.Status().available);

  // A deadline already gone: timed out, no request sent.
  auto late = stt.Transcribe(a, Within(0s));
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().reason(), Reason::kSpeechTimeout);
}

}  // namespace
}  // namespace atrium::core::speech
