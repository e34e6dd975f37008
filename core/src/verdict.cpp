#include "sharetrack/verdict.hpp"

#include <array>

#include "name_table.hpp"

namespace sharetrack {
namespace {

using detail::Named;

constexpr detail::NameTable kNames(std::array{
    Named<Verdict>{Verdict::counted, "counted"},
    Named<Verdict>{Verdict::duplicate, "duplicate"},
    Named<Verdict>{Verdict::self, "self"},
    Named<Verdict>{Verdict::ownChain, "own_chain"},
    Named<Verdict>{Verdict::bot, "bot"},
    Named<Verdict>{Verdict::waiting, "waiting"},
    Named<Verdict>{Verdict::suspicious, "suspicious"},
});
static_assert(kNames.size() == kVerdictCount && kNames.inOrder(), "every verdict has a wire name, in order");

}  // namespace

std::string_view verdictName(Verdict verdict) { return kNames.name(verdict); }

std::optional<Verdict> verdictFromName(std::string_view name) { return kNames.find(name); }

}  // namespace sharetrack
