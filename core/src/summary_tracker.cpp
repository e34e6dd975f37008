#include "sharetrack/summary_tracker.hpp"

#include <algorithm>
#include <cmath>

namespace sharetrack {

SummaryTracker::SummaryTracker(std::string pageView, const SummaryTiming& timing, std::int64_t nowMs, bool pageVisible,
                               bool pageFocused)
    : pageView_(std::move(pageView)),
      timing_(timing),
      visible_(pageVisible),
      focused_(pageFocused),
      lastInputMs_(nowMs),
      advancedToMs_(nowMs) {}

SummaryTracker::Content* SummaryTracker::find(const std::string& content) {
  const auto it = contents_.find(content);
  return it == contents_.end() ? nullptr : &it->second;
}

const SummaryEvent* SummaryTracker::current(const std::string& content) const {
  const auto it = contents_.find(content);
  return it == contents_.end() ? nullptr : &it->second.summary;
}

std::vector<std::string> SummaryTracker::contents() const {
  std::vector<std::string> ids;
  ids.reserve(contents_.size());
  for (const auto& entry : contents_) ids.push_back(entry.first);
  return ids;
}

bool SummaryTracker::inView(const Content& c) const {
  double best = 0;
  for (const auto& [widget, ratio] : c.widgetRatios) best = std::max(best, ratio);
  return visible_ && best >= timing_.viewableRatio;
}

bool SummaryTracker::dwelling(const Content& c, std::int64_t nowMs) const {
  return inView(c) && focused_ && nowMs < lastInputMs_ + timing_.activeInputMs;
}

// Accrues dwell and viewability for the time since the last fact, under the state before it.
void SummaryTracker::advance(std::int64_t nowMs) {
  if (nowMs <= advancedToMs_) return;
  const std::int64_t activeUntil = std::min(nowMs, lastInputMs_ + timing_.activeInputMs);
  for (auto& [name, c] : contents_) {
    if (dwelling(c, advancedToMs_) && activeUntil > advancedToMs_) {
      c.summary.dwellMs = static_cast<std::uint32_t>(
          std::min<std::int64_t>(c.summary.dwellMs + (activeUntil - advancedToMs_), kMaxCount));
      c.changed = true;
    }
    if (c.inViewSinceMs && !c.summary.viewable && nowMs - *c.inViewSinceMs >= timing_.viewableMs) {
      c.summary.viewable = true;
      c.changed = true;
    }
  }
  advancedToMs_ = nowMs;
}

void SummaryTracker::updateInView(std::int64_t nowMs) {
  for (auto& [name, c] : contents_) {
    if (!inView(c)) {
      c.inViewSinceMs.reset();
    } else if (!c.inViewSinceMs) {
      c.inViewSinceMs = nowMs;
    }
  }
}

void SummaryTracker::rendered(const std::string& content, int widget, std::int64_t nowMs) {
  advance(nowMs);
  auto [it, inserted] = contents_.try_emplace(content);
  Content& c = it->second;
  if (inserted) {
    c.summary.content = content;
    c.summary.pageView = pageView_;
    c.summary.seq = 0;
    c.lastEmittedAtMs = nowMs;
    c.video.updatedAtMs = nowMs;
  }
  c.widgetRatios.try_emplace(widget, 0.0);
}

void SummaryTracker::viewport(const std::string& content, int widget, double ratio, std::int64_t nowMs) {
  Content* c = find(content);
  if (!c || !std::isfinite(ratio)) return;
  advance(nowMs);
  c->widgetRatios[widget] = std::clamp(ratio, 0.0, 1.0);
  updateInView(nowMs);
}

void SummaryTracker::pageVisible(bool visible, std::int64_t nowMs) {
  advance(nowMs);
  visible_ = visible;
  updateInView(nowMs);
}

void SummaryTracker::pageFocused(bool focused, std::int64_t nowMs) {
  advance(nowMs);
  focused_ = focused;
}

void SummaryTracker::input(std::int64_t nowMs) {
  advance(nowMs);
  lastInputMs_ = std::max(lastInputMs_, nowMs);
}

void SummaryTracker::videoTime(const std::string& content, double positionSec, double durationSec, std::int64_t nowMs) {
  Content* c = find(content);
  if (!c || !std::isfinite(positionSec) || positionSec < 0) return;
  advance(nowMs);
  Video& v = c->video;
  if (std::isfinite(durationSec) && durationSec > 0) v.durationSec = durationSec;
  const double played = positionSec - v.positionSec;
  const double wallSec = static_cast<double>(nowMs - v.updatedAtMs) / 1000.0;
  if (!v.seeking && played > 0 && played <= wallSec * 2 + 0.5) {
    v.watchedSec += played;
    c->summary.videoWatchedMs =
        static_cast<std::uint32_t>(std::llround(std::min(v.watchedSec * 1000.0, double{kMaxCount})));
    for (std::uint8_t quartile = 4; quartile > c->summary.videoQuartile && v.durationSec > 0; --quartile) {
      const double boundary = v.durationSec * quartile / 4.0;
      if (v.positionSec < boundary && positionSec >= boundary) {
        c->summary.videoQuartile = quartile;
        break;
      }
    }
    c->changed = true;
  }
  v.positionSec = positionSec;
  v.updatedAtMs = nowMs;
  v.seeking = false;
}

void SummaryTracker::videoSeeking(const std::string& content, std::int64_t nowMs) {
  Content* c = find(content);
  if (!c) return;
  advance(nowMs);
  c->video.seeking = true;
}

void SummaryTracker::videoEnded(const std::string& content, std::int64_t nowMs) {
  Content* c = find(content);
  if (!c || c->video.durationSec <= 0) return;
  // Playing into the end: the last stretch counts like any update at the duration.
  videoTime(content, c->video.durationSec, c->video.durationSec, nowMs);
}

void SummaryTracker::shared(const std::string& content, Channel channel, std::int64_t nowMs) {
  Content* c = find(content);
  if (!c) return;
  advance(nowMs);
  auto& count = c->summary.shares[static_cast<std::size_t>(channel)];
  count = std::min(count + 1, kMaxCount);
  c->changed = true;
}

void SummaryTracker::copied(const std::string& content, std::int64_t nowMs) {
  Content* c = find(content);
  if (!c) return;
  advance(nowMs);
  c->summary.copies = std::min(c->summary.copies + 1, kMaxCount);
  c->changed = true;
}

void SummaryTracker::addressToken(const std::string& content, const std::string& token, std::int64_t nowMs) {
  Content* c = find(content);
  if (!c || c->summary.addressToken == token) return;
  advance(nowMs);
  c->summary.addressToken = token;
  c->changed = true;
}

std::vector<SummaryEvent> SummaryTracker::takeDue(std::int64_t nowMs, bool force) {
  advance(nowMs);
  std::vector<SummaryEvent> due;
  for (auto& [name, c] : contents_) {
    if (!c.changed || (!force && nowMs < c.lastEmittedAtMs + timing_.intervalMs)) continue;
    if (c.summary.seq == kMaxSummarySeq) {  // a page view open for days: its last summary stands
      c.changed = false;
      continue;
    }
    c.summary.seq += 1;
    c.changed = false;
    c.lastEmittedAtMs = nowMs;
    due.push_back(c.summary);
  }
  return due;
}

std::optional<std::int64_t> SummaryTracker::nextDueAt() const {
  std::optional<std::int64_t> next;
  const auto consider = [&next](std::int64_t at) { next = next ? std::min(*next, at) : at; };
  for (const auto& [name, c] : contents_) {
    if (c.changed || dwelling(c, advancedToMs_)) consider(c.lastEmittedAtMs + timing_.intervalMs);
    if (c.inViewSinceMs && !c.summary.viewable) consider(*c.inViewSinceMs + timing_.viewableMs);
  }
  return next;
}

}  // namespace sharetrack
