#include "core/events/in_process_event_bus.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace atrium::core::events {
namespace {

using std::chrono::milliseconds;

// An event with an opaque payload, whose text the tests use as a label.
Event MakeEvent(std::string topic, std::string payload = "{}", std::string type = "message.delta") {
  return Event{.topics = {std::move(topic)}, .payload = OpaqueJson{std::move(type), std::move(payload)}};
}

std::string Text(const Event& event) {
  const auto* opaque = event.As<OpaqueJson>();
  return opaque != nullptr ? opaque->json : "(not opaque)";
}

void MustPublish(EventBus& bus, Event event) {
  auto published = bus.Publish(std::move(event));
  ASSERT_TRUE(published.ok()) << published.error().internal_message();
}

std::vector<Event> Drain(Subscription& subscription) {
  std::vector<Event> events;
  while (auto event = subscription.TryPop()) events.push_back(*event);
  return events;
}

std::vector<std::string> Payloads(const std::vector<Event>& events) {
  std::vector<std::string> payloads;
  for (const auto& event : events) payloads.push_back(Text(event));
  return payloads;
}

TEST(EventTopicsTest, BuildsPrefixedNames) {
  EXPECT_EQ(topics::User("u1"), "user:u1");
  EXPECT_EQ(topics::Conversation("c1"), "conversation:c1");
  EXPECT_EQ(topics::ArenaSession("a1"), "arena_session:a1");
  EXPECT_EQ(topics::Network("n1"), "network:n1");
  EXPECT_EQ(topics::Broadcast("news"), "broadcast:news");
}

TEST(InProcessEventBusTest, DeliversToEverySubscriberOfTheTopicAndNoOther) {
  InProcessEventBus bus;
  auto first = bus.Subscribe({topics::User("1")}, {});
  auto second = bus.Subscribe({topics::User("1")}, {});
  auto other = bus.Subscribe({topics::User("2")}, {});

  MustPublish(bus, MakeEvent(topics::User("1"), R"({"text":"hi"})", "message.started"));

  for (auto* subscription : {first.get(), second.get()}) {
    auto event = subscription->TryPop();
    ASSERT_NE(event, nullptr);
    EXPECT_EQ(event->topics, (std::vector<std::string>{"user:1"}));
    EXPECT_EQ(EventTypeName(event->payload), "message.started");
    EXPECT_EQ(Text(*event), R"({"text":"hi"})");
    EXPECT_EQ(event->sequence, 1u);
    EXPECT_EQ(subscription->TryPop(), nullptr);
  }
  EXPECT_EQ(other->TryPop(), nullptr);
}

TEST(InProcessEventBusTest, PublishingToATopicNobodyFollowsSucceeds) {
  InProcessEventBus bus;
  EXPECT_TRUE(bus.Publish(MakeEvent(topics::Broadcast("empty"))).ok());
}

TEST(InProcessEventBusTest, MultiTopicSubscriptionReceivesEachTopicInPublishOrder) {
  InProcessEventBus bus;
  // The duplicate and the empty name are ignored: each event arrives once.
  auto subscription = bus.Subscribe({topics::User("1"), topics::Conversation("c"), topics::User("1"), ""}, {});
  EXPECT_EQ(bus.subscriber_count(topics::User("1")), 1u);
  EXPECT_EQ(bus.topic_count(), 2u);

  MustPublish(bus, MakeEvent(topics::Conversation("c"), "1"));
  MustPublish(bus, MakeEvent(topics::Network("n"), "not mine"));
  MustPublish(bus, MakeEvent(topics::User("1"), "2"));
  MustPublish(bus, MakeEvent(topics::Conversation("c"), "3"));

  auto events = Drain(*subscription);
  EXPECT_EQ(Payloads(events), (std::vector<std::string>{"1", "2", "3"}));
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].topics, (std::vector<std::string>{"conversation:c"}));
  EXPECT_EQ(events[1].topics, (std::vector<std::string>{"user:1"}));
}

TEST(InProcessEventBusTest, OneEventForSeveralTopicsReachesEachSubscriptionOnce) {
  InProcessEventBus bus;
  auto both = bus.Subscribe({topics::User("1"), topics::Conversation("c")}, {});
  auto user = bus.Subscribe({topics::User("1")}, {});
  auto conversation = bus.Subscribe({topics::Conversation("c")}, {});
  auto other = bus.Subscribe({topics::User("2")}, {});

  Event event{.topics = {topics::User("1"), topics::Conversation("c")}, .payload = chat::MessageDelta{"c", "m", "tok"}};
  MustPublish(bus, event);
  MustPublish(bus, MakeEvent(topics::Conversation("c"), "after"));

  const auto from_both = Drain(*both);
  ASSERT_EQ(from_both.size(), 2u);  // the delta once, then the next event
  EXPECT_EQ(from_both[0].payload, event.payload);
  EXPECT_EQ(from_both[0].topics, event.topics);
  EXPECT_EQ(from_both[0].sequence, 1u);
  EXPECT_EQ(Text(from_both[1]), "after");
  EXPECT_EQ(Drain(*user).size(), 1u);
  EXPECT_EQ(Drain(*conversation).size(), 2u);
  EXPECT_TRUE(Drain(*other).empty());
}

TEST(InProcessEventBusTest, EverySubscriberSharesTheOnePublishedEvent) {
  InProcessEventBus bus;
  auto first = bus.Subscribe({"a"}, {});
  auto second = bus.Subscribe({"a", "b"}, {});
  MustPublish(bus, Event{.topics = {"a", "b"}, .payload = chat::ConversationTitle{"c", "Title"}});
  const EventPtr one = first->TryPop();
  const EventPtr two = second->TryPop();
  ASSERT_NE(one, nullptr);
  EXPECT_EQ(one.get(), two.get());  // not copied per subscriber, and never serialised
  ASSERT_NE(one->As<chat::ConversationTitle>(), nullptr);
  EXPECT_EQ(one->As<chat::ConversationTitle>()->title, "Title");
  EXPECT_EQ(one->As<chat::MessageDelta>(), nullptr);
}

TEST(InProcessEventBusTest, HasSubscribersFollowsSubscriptions) {
  InProcessEventBus bus;
  EXPECT_FALSE(bus.HasSubscribers(topics::User("1")));
  auto subscription = bus.Subscribe({topics::User("1"), topics::Conversation("c")}, {});
  EXPECT_TRUE(bus.HasSubscribers(topics::User("1")));
  EXPECT_TRUE(bus.HasSubscribers(topics::Conversation("c")));
  EXPECT_FALSE(bus.HasSubscribers(topics::User("2")));
  EXPECT_FALSE(bus.HasSubscribers(""));
  subscription.reset();
  EXPECT_FALSE(bus.HasSubscribers(topics::User("1")));
  EXPECT_FALSE(bus.HasSubscribers(topics::Conversation("c")));
}

TEST(InProcessEventBusTest, SequenceIncreasesWithEveryPublishAndIgnoresTheCallersValue) {
  InProcessEventBus bus;
  auto subscription = bus.Subscribe({"a", "b"}, {});
  Event stamped = MakeEvent("a");
  stamped.sequence = 999;
  MustPublish(bus, stamped);
  MustPublish(bus, MakeEvent("nobody"));  // counted too: a subscription sees gaps
  MustPublish(bus, MakeEvent("b"));
  MustPublish(bus, MakeEvent("a"));

  auto events = Drain(*subscription);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].sequence, 1u);
  EXPECT_EQ(events[1].sequence, 3u);
  EXPECT_EQ(events[2].sequence, 4u);
}

TEST(InProcessEventBusTest, RejectsAnEventWithoutTopicOrType) {
  InProcessEventBus bus;
  auto no_topic = bus.Publish(MakeEvent(""));
  ASSERT_FALSE(no_topic.ok());
  EXPECT_EQ(no_topic.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(no_topic.error().safe_message(), "event topic is empty");

  auto no_topics = bus.Publish(Event{.topics = {}, .payload = chat::ConversationTitle{"c", "t"}});
  ASSERT_FALSE(no_topics.ok());
  EXPECT_EQ(no_topics.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(no_topics.error().safe_message(), "event has no topic");
  auto one_empty = bus.Publish(Event{.topics = {"a", ""}, .payload = chat::ConversationTitle{"c", "t"}});
  ASSERT_FALSE(one_empty.ok());
  EXPECT_EQ(one_empty.error().safe_message(), "event topic is empty");

  auto no_type = bus.Publish(MakeEvent("a", "{}", ""));
  ASSERT_FALSE(no_type.ok());
  EXPECT_EQ(no_type.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(no_type.error().safe_message(), "event type is empty");

  // A refused publish takes no sequence number.
  auto subscription = bus.Subscribe({"a"}, {});
  MustPublish(bus, MakeEvent("a"));
  auto event = subscription->TryPop();
  ASSERT_NE(event, nullptr);
  EXPECT_EQ(event->sequence, 1u);
}

TEST(InProcessEventBusTest, DestroyingTheSubscriptionUnsubscribes) {
  InProcessEventBus bus;
  auto kept = bus.Subscribe({"a"}, {});
  auto gone = bus.Subscribe({"a", "b"}, {});
  EXPECT_EQ(bus.subscriber_count("a"), 2u);
  EXPECT_EQ(bus.subscriber_count("b"), 1u);

  gone.reset();
  EXPECT_EQ(bus.subscriber_count("a"), 1u);
  EXPECT_EQ(bus.subscriber_count("b"), 0u);
  EXPECT_EQ(bus.topic_count(), 1u);

  MustPublish(bus, MakeEvent("a"));
  MustPublish(bus, MakeEvent("b"));
  EXPECT_EQ(Drain(*kept).size(), 1u);

  kept.reset();
  EXPECT_EQ(bus.topic_count(), 0u);
}

TEST(InProcessEventBusTest, SubscriptionMayOutliveTheBus) {
  auto bus = std::make_unique<InProcessEventBus>();
  auto subscription = bus->Subscribe({"a"}, {});
  MustPublish(*bus, MakeEvent("a", "kept"));
  bus.reset();

  auto event = subscription->TryPop();
  ASSERT_NE(event, nullptr);
  EXPECT_EQ(Text(*event), "kept");
  subscription.reset();  // must not touch the destroyed bus
}

TEST(InProcessEventBusTest, DisconnectPolicyMarksOverflowAndStopsQueueing) {
  InProcessEventBus bus;
  auto subscription = bus.Subscribe({"a"}, {.max_queue = 3, .policy = OverflowPolicy::kDisconnect});
  for (int i = 1; i <= 5; ++i) MustPublish(bus, MakeEvent("a", std::to_string(i)));

  EXPECT_TRUE(subscription->overflowed());
  EXPECT_EQ(subscription->dropped(), 2u);
  // What was queued before the overflow can still be read.
  EXPECT_EQ(Payloads(Drain(*subscription)), (std::vector<std::string>{"1", "2", "3"}));

  // Room again, but an overflowed subscription gets nothing more.
  MustPublish(bus, MakeEvent("a", "6"));
  EXPECT_EQ(subscription->TryPop(), nullptr);
  EXPECT_EQ(subscription->dropped(), 3u);
  EXPECT_TRUE(subscription->overflowed());
}

TEST(InProcessEventBusTest, DisconnectPolicyDoesNotOverflowWhileTheQueueHasRoom) {
  InProcessEventBus bus;
  auto subscription = bus.Subscribe({"a"}, {.max_queue = 3, .policy = OverflowPolicy::kDisconnect});
  for (int i = 1; i <= 3; ++i) MustPublish(bus, MakeEvent("a", std::to_string(i)));
  EXPECT_FALSE(subscription->overflowed());
  EXPECT_EQ(subscription->dropped(), 0u);
  EXPECT_EQ(Drain(*subscription).size(), 3u);
  for (int i = 4; i <= 6; ++i) MustPublish(bus, MakeEvent("a", std::to_string(i)));
  EXPECT_FALSE(subscription->overflowed());
  EXPECT_EQ(Payloads(Drain(*subscription)), (std::vector<std::string>{"4", "5", "6"}));
}

TEST(InProcessEventBusTest, DropOldestPolicyKeepsTheNewestAndCountsTheRest) {
  InProcessEventBus bus;
  auto subscription = bus.Subscribe({"a"}, {.max_queue = 3, .policy = OverflowPolicy::kDropOldest});
  for (int i = 1; i <= 5; ++i) MustPublish(bus, MakeEvent("a", std::to_string(i)));

  EXPECT_FALSE(subscription->overflowed());
  EXPECT_EQ(subscription->dropped(), 2u);
  EXPECT_EQ(Payloads(Drain(*subscription)), (std::vector<std::string>{"3", "4", "5"}));

  MustPublish(bus, MakeEvent("a", "6"));
  EXPECT_EQ(Payloads(Drain(*subscription)), (std::vector<std::string>{"6"}));
  EXPECT_EQ(subscription->dropped(), 2u);
}

TEST(InProcessEventBusTest, ZeroMaxQueueHoldsOneEvent) {
  InProcessEventBus bus;
  auto subscription = bus.Subscribe({"a"}, {.max_queue = 0, .policy = OverflowPolicy::kDropOldest});
  MustPublish(bus, MakeEvent("a", "1"));
  MustPublish(bus, MakeEvent("a", "2"));
  EXPECT_EQ(subscription->dropped(), 1u);
  EXPECT_EQ(Payloads(Drain(*subscription)), (std::vector<std::string>{"2"}));
}

TEST(InProcessEventBusTest, NotifierFiresOncePerEmptyToNonEmptyTransition) {
  InProcessEventBus bus;
  auto subscription = bus.Subscribe({"a"}, {.max_queue = 2, .policy = OverflowPolicy::kDropOldest});
  int calls = 0;
  subscription->SetNotifier([&calls] { ++calls; });
  EXPECT_EQ(calls, 0);  // nothing queued yet

  MustPublish(bus, MakeEvent("a"));
  EXPECT_EQ(calls, 1);
  MustPublish(bus, MakeEvent("a"));
  MustPublish(bus, MakeEvent("a"));  // full: drops the oldest, still no transition
  EXPECT_EQ(calls, 1);

  ASSERT_NE(subscription->TryPop(), nullptr);
  MustPublish(bus, MakeEvent("a"));  // not empty before: no call
  EXPECT_EQ(calls, 1);

  EXPECT_EQ(Drain(*subscription).size(), 2u);
  MustPublish(bus, MakeEvent("a"));
  EXPECT_EQ(calls, 2);
  MustPublish(bus, MakeEvent("other"));
  EXPECT_EQ(calls, 2);
}

TEST(InProcessEventBusTest, NotifierRunsOnThePublisherThreadOutsideTheBusLock) {
  InProcessEventBus bus;
  auto subscription = bus.Subscribe({"a"}, {});
  std::thread::id notified_on;
  std::size_t seen_subscribers = 0;
  EventPtr popped;
  subscription->SetNotifier([&] {
    notified_on = std::this_thread::get_id();
    seen_subscribers = bus.subscriber_count("a");  // would deadlock under the bus lock
    popped = subscription->TryPop();               // draining from the notifier is allowed
  });

  std::thread::id publisher_id;
  std::thread publisher([&] {
    publisher_id = std::this_thread::get_id();
    MustPublish(bus, MakeEvent("a", "x"));
  });
  publisher.join();

  EXPECT_EQ(notified_on, publisher_id);
  EXPECT_EQ(seen_subscribers, 1u);
  ASSERT_NE(popped, nullptr);
  EXPECT_EQ(Text(*popped), "x");
}

TEST(InProcessEventBusTest, SettingANotifierOnANonEmptyQueueCallsItAtOnce) {
  InProcessEventBus bus;
  auto subscription = bus.Subscribe({"a"}, {});
  MustPublish(bus, MakeEvent("a"));

  int calls = 0;
  subscription->SetNotifier([&calls] { ++calls; });
  EXPECT_EQ(calls, 1);

  subscription->SetNotifier({});  // cleared: no more calls
  EXPECT_EQ(Drain(*subscription).size(), 1u);
  MustPublish(bus, MakeEvent("a"));
  EXPECT_EQ(calls, 1);
}

TEST(InProcessEventBusTest, PopForTimesOutWithNothingQueued) {
  InProcessEventBus bus;
  auto subscription = bus.Subscribe({"a"}, {});
  EXPECT_EQ(subscription->PopFor(milliseconds(10)), nullptr);
}

TEST(InProcessEventBusTest, PopForReturnsAnEventPublishedFromAnotherThread) {
  InProcessEventBus bus;
  auto subscription = bus.Subscribe({"a"}, {});
  std::thread publisher([&bus] { MustPublish(bus, MakeEvent("a", "late")); });
  auto event = subscription->PopFor(milliseconds(30000));
  publisher.join();
  ASSERT_NE(event, nullptr);
  EXPECT_EQ(Text(*event), "late");
}

// Four publishers, consumers draining concurrently (by PopFor and from the notifier),
// and threads subscribing and unsubscribing all the while. Under ASan this checks for
// use-after-free and races on teardown; the counts check that nothing is lost or
// duplicated for subscriptions that live through the test.
TEST(InProcessEventBusTest, StressPublishersSubscribersAndChurn) {
  constexpr int kPublishers = 4;
  constexpr int kPerPublisher = 2000;
  constexpr int kTopics = 4;
  constexpr int kTotal = kPublishers * kPerPublisher;
  auto topic = [](int i) { return "stress:" + std::to_string(i % kTopics); };
  std::vector<std::string> all_topics;
  for (int i = 0; i < kTopics; ++i) all_topics.push_back(topic(i));

  InProcessEventBus bus;
  const SubscriberOptions roomy{.max_queue = kTotal, .policy = OverflowPolicy::kDisconnect};
  auto everything = bus.Subscribe(all_topics, roomy);     // drained by PopFor
  auto from_notifier = bus.Subscribe(all_topics, roomy);  // drained inside its notifier
  auto one_topic = bus.Subscribe({topic(0)}, roomy);      // drained at the end
  auto tiny_drop = bus.Subscribe(all_topics, {.max_queue = 8, .policy = OverflowPolicy::kDropOldest});
  auto tiny_disconnect = bus.Subscribe(all_topics, {.max_queue = 8, .policy = OverflowPolicy::kDisconnect});

  // Payload "<publisher> <index>": each publisher's events must arrive in its order.
  struct Tally {
    int count = 0;
    std::uint64_t last_sequence = 0;
    bool ordered = true;
    std::vector<int> next_index = std::vector<int>(kPublishers, 0);
    void Add(const Event& event) {
      ++count;
      if (event.sequence <= last_sequence) ordered = false;
      last_sequence = event.sequence;
      const auto space = Text(event).find(' ');
      const int publisher = std::stoi(Text(event).substr(0, space));
      const int index = std::stoi(Text(event).substr(space + 1));
      if (index < next_index[publisher]) ordered = false;
      next_index[publisher] = index + 1;
    }
  };

  Tally notifier_tally;  // touched only under the notifier's serialisation
  from_notifier->SetNotifier([&notifier_tally, sub = from_notifier.get()] {
    while (auto event = sub->TryPop()) notifier_tally.Add(*event);
  });

  std::atomic<bool> publishing{true};
  std::atomic<int> churn_notifications{0};
  std::vector<std::thread> threads;
  for (int p = 0; p < kPublishers; ++p) {
    threads.emplace_back([&bus, &topic, p] {
      for (int i = 0; i < kPerPublisher; ++i) {
        MustPublish(bus, MakeEvent(topic(i), std::to_string(p) + " " + std::to_string(i)));
      }
    });
  }
  for (int c = 0; c < 2; ++c) {
    threads.emplace_back([&, c] {
      int round = 0;
      while (publishing.load()) {
        ++round;
        auto policy = round % 2 == 0 ? OverflowPolicy::kDropOldest : OverflowPolicy::kDisconnect;
        auto churner = bus.Subscribe({topic(round + c), topic(round + 1)}, {.max_queue = 4, .policy = policy});
        churner->SetNotifier([&churn_notifications] { churn_notifications.fetch_add(1); });
        (void)churner->PopFor(milliseconds(0));
        (void)churner->TryPop();
        // Half are destroyed while still holding events, half after a drain.
        if (round % 2 == 0) Drain(*churner);
      }
    });
  }

  Tally everything_tally;
  while (everything_tally.count < kTotal) {
    auto event = everything->PopFor(milliseconds(30000));
    if (!event) {  // not ASSERT: the threads must still be joined
      ADD_FAILURE() << "stalled after " << everything_tally.count << " events";
      break;
    }
    everything_tally.Add(*event);
  }
  for (int p = 0; p < kPublishers; ++p) threads[p].join();
  publishing.store(false);
  for (std::size_t t = kPublishers; t < threads.size(); ++t) threads[t].join();

  EXPECT_EQ(everything_tally.count, kTotal);
  EXPECT_TRUE(everything_tally.ordered);
  EXPECT_EQ(everything->TryPop(), nullptr);

  from_notifier->SetNotifier({});  // waits for a notifier still running
  EXPECT_EQ(notifier_tally.count, kTotal);
  EXPECT_TRUE(notifier_tally.ordered);

  Tally one_topic_tally;
  for (const auto& event : Drain(*one_topic)) {
    EXPECT_EQ(event.topics, (std::vector<std::string>{topic(0)}));
    one_topic_tally.Add(event);
  }
  EXPECT_EQ(one_topic_tally.count, kTotal / kTopics);
  EXPECT_TRUE(one_topic_tally.ordered);

  for (auto* tiny : {tiny_drop.get(), tiny_disconnect.get()}) {
    const auto received = Drain(*tiny).size();
    EXPECT_EQ(received, 8u);
    EXPECT_EQ(received + tiny->dropped(), static_cast<std::uint64_t>(kTotal));
  }
  EXPECT_FALSE(tiny_drop->overflowed());
  EXPECT_TRUE(tiny_disconnect->overflowed());

  for (auto* roomy_subscription : {everything.get(), from_notifier.get(), one_topic.get()}) {
    EXPECT_EQ(roomy_subscription->dropped(), 0u);
    EXPECT_FALSE(roomy_subscription->overflowed());
  }
  EXPECT_EQ(bus.subscriber_count(topic(1)), 4u);  // the churners are all gone
}

}  // namespace
}  // namespace atrium::core::events
