// Engagement summaries of one page view (DESIGN.md, "Words": Summary): one cumulative record per
// content id, fed by the facts the shell observes, emitted with a rising sequence number at most
// every `intervalMs` and at once when the page hides.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sharetrack/batch.hpp"

namespace sharetrack {

struct SummaryTiming {
  double viewableRatio = 0.5;          // share of the widget in the viewport
  std::int64_t viewableMs = 1000;      // continuous time at that ratio, page visible
  std::int64_t activeInputMs = 30000;  // dwell counts while the last input is this recent
  std::int64_t intervalMs = 5000;      // at most one summary per content this often
};

class SummaryTracker {
 public:
  // The page view starts as an input: the visitor has just navigated here.
  SummaryTracker(std::string pageView, const SummaryTiming& timing, std::int64_t nowMs, bool pageVisible,
                 bool pageFocused);

  // A widget for `content` is in the page. Several widgets with one content id share a summary;
  // `widget` tells them apart for viewability (the best-placed one counts).
  void rendered(const std::string& content, int widget, std::int64_t nowMs);
  void viewport(const std::string& content, int widget, double ratio, std::int64_t nowMs);
  void pageVisible(bool visible, std::int64_t nowMs);
  void pageFocused(bool focused, std::int64_t nowMs);
  void input(std::int64_t nowMs);
  // The testimonial video's `timeupdate` (position and duration in seconds), `seeking`, `ended`.
  // Played seconds count only between updates with no seek between them, and no faster than
  // twice real time; a quartile is reached only by playing across it.
  void videoTime(const std::string& content, double positionSec, double durationSec, std::int64_t nowMs);
  void videoSeeking(const std::string& content, std::int64_t nowMs);
  void videoEnded(const std::string& content, std::int64_t nowMs);
  void shared(const std::string& content, Channel channel, std::int64_t nowMs);
  void copied(const std::string& content, std::int64_t nowMs);
  void addressToken(const std::string& content, const std::string& token, std::int64_t nowMs);

  // Summaries that changed since last taken and are due (all that changed when `force`).
  std::vector<SummaryEvent> takeDue(std::int64_t nowMs, bool force);
  // When the next summary falls due or viewability may be reached; nullopt when nothing will.
  std::optional<std::int64_t> nextDueAt() const;

  const SummaryEvent* current(const std::string& content) const;
  // The contents rendered in this page view, in order of content id.
  std::vector<std::string> contents() const;
  const std::string& pageView() const { return pageView_; }

 private:
  struct Video {
    double positionSec = 0;
    double durationSec = 0;
    double watchedSec = 0;
    std::int64_t updatedAtMs = 0;
    bool seeking = false;
  };
  struct Content {
    SummaryEvent summary;
    std::map<int, double> widgetRatios;
    std::optional<std::int64_t> inViewSinceMs;
    Video video;
    bool changed = true;  // a new content is sent, viewed or not: rates need the denominator
    std::int64_t lastEmittedAtMs = 0;
  };

  void advance(std::int64_t nowMs);
  void updateInView(std::int64_t nowMs);
  bool inView(const Content& content) const;
  bool dwelling(const Content& content, std::int64_t nowMs) const;
  Content* find(const std::string& content);

  std::string pageView_;
  SummaryTiming timing_;
  std::map<std::string, Content> contents_;
  bool visible_;
  bool focused_;
  std::int64_t lastInputMs_;
  std::int64_t advancedToMs_;
};

}  // namespace sharetrack
