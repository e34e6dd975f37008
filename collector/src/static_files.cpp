#include "static_files.hpp"

#include <climits>
#include <cstdlib>
#include <fstream>
#include <string_view>

#include "percent_decoding.hpp"

namespace sharetrack::collector {
namespace {

namespace fs = std::filesystem;
namespace http = boost::beast::http;

constexpr std::uintmax_t kMaxFileBytes = 64 * 1024 * 1024;

struct Type {
  std::string_view extension;
  const char* mime;
};
constexpr Type kTypes[] = {
    {".html", "text/html; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".json", "application/json"},
    {".wasm", "application/wasm"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".jpg", "image/jpeg"},
    {".jpeg", "image/jpeg"},
    {".webp", "image/webp"},
    {".ico", "image/x-icon"},
    {".mp4", "video/mp4"},
    {".webm", "video/webm"},
    {".vtt", "text/vtt; charset=utf-8"},
    {".txt", "text/plain; charset=utf-8"},
    {".woff2", "font/woff2"},
};

const char* typeOf(const fs::path& file) {
  const std::string extension = file.extension().string();
  for (const Type& type : kTypes) {
    if (type.extension == extension) return type.mime;
  }
  return "application/octet-stream";
}

// The decoded path, or nullopt when an escape is broken or a byte is NUL or a control character.
std::optional<std::string> decodedPath(std::string_view target) {
  auto path = percentDecoded(target.substr(0, target.find_first_of("?#")));
  if (!path) return std::nullopt;
  for (const char c : *path) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return std::nullopt;
  }
  return path;
}

struct ByteRange {
  std::uintmax_t first;
  std::uintmax_t last;  // inclusive
};

std::optional<std::uintmax_t> number(std::string_view text) {
  if (text.empty() || text.size() > 18 || text.find_first_not_of("0123456789") != std::string_view::npos) {
    return std::nullopt;
  }
  std::uintmax_t value = 0;
  for (char c : text) value = value * 10 + static_cast<std::uintmax_t>(c - '0');
  return value;
}

enum class RangeAnswer { whole, part, unsatisfiable };

// One "bytes=a-b", "bytes=a-" or "bytes=-n" range; several ranges, or any other form, are ignored
// (the whole file is sent once), so no request makes an answer larger than the file.
RangeAnswer rangeOf(std::string_view header, std::uintmax_t size, ByteRange& range) {
  constexpr std::string_view kBytes = "bytes=";
  if (header.substr(0, kBytes.size()) != kBytes || header.find(',') != std::string_view::npos)
    return RangeAnswer::whole;
  const std::string_view spec = header.substr(kBytes.size());
  const std::size_t dash = spec.find('-');
  if (dash == std::string_view::npos) return RangeAnswer::whole;
  const auto first = number(spec.substr(0, dash));
  const auto last = number(spec.substr(dash + 1));
  if (!first && !last) return RangeAnswer::whole;
  if (!first) {  // the last n bytes
    if (*last == 0 || size == 0) return RangeAnswer::unsatisfiable;
    range = {size - std::min(*last, size), size - 1};
    return RangeAnswer::part;
  }
  if (*first >= size) return RangeAnswer::unsatisfiable;
  if (last && *last < *first) return RangeAnswer::whole;
  range = {*first, std::min(last.value_or(size - 1), size - 1)};
  return RangeAnswer::part;
}

}  // namespace

Result<StaticFiles> StaticFiles::open(const std::string& folder, const std::string& flag, std::string prefix,
                                     std::vector<std::pair<std::string, std::string>> headers) {
  std::error_code error;
  const fs::path root = fs::canonical(folder, error);
  if (error || !fs::is_directory(root, error)) {
    return makeError(ErrorCode::configInvalid, flag + " " + folder + " is not a folder");
  }
  return StaticFiles(root, std::move(prefix), std::move(headers));
}

std::optional<Reply> StaticFiles::serve(const HttpRequest& request) const {
  if (request.method() != http::verb::get && request.method() != http::verb::head) return std::nullopt;
  const auto path = decodedPath(request.target());
  if (!path) return refusal(400, ErrorCode::requestInvalid, "a path with a broken escape or a control character");
  if (path->compare(0, prefix_.size(), prefix_) != 0) return std::nullopt;
  std::string relative = path->substr(prefix_.size());
  relative.erase(0, std::min(relative.size(), relative.find_first_not_of('/')));
  if (relative.empty() || relative.back() == '/') relative += "index.html";

  std::error_code error;
  const fs::path file = fs::canonical(root_ / relative, error);  // every symlink and ".." resolved
  const std::string inside = root_.string() + "/";
  if (error || file.string().compare(0, inside.size(), inside) != 0 || !fs::is_regular_file(file, error)) {
    return std::nullopt;
  }
  const std::uintmax_t size = fs::file_size(file, error);
  if (error || size > kMaxFileBytes) return std::nullopt;

  Reply reply;
  reply.contentType = typeOf(file);
  reply.headers = {{"X-Content-Type-Options", "nosniff"}, {"Accept-Ranges", "bytes"}, {"Cache-Control", "no-cache"}};
  reply.headers.insert(reply.headers.end(), headers_.begin(), headers_.end());
  ByteRange range{0, size ? size - 1 : 0};
  switch (rangeOf(request[http::field::range], size, range)) {
    case RangeAnswer::unsatisfiable:
      reply.status = 416;
      reply.headers.emplace_back("Content-Range", "bytes */" + std::to_string(size));
      return reply;
    case RangeAnswer::part:
      reply.status = 206;
      reply.headers.emplace_back("Content-Range", "bytes " + std::to_string(range.first) + "-" +
                                                      std::to_string(range.last) + "/" + std::to_string(size));
      break;
    case RangeAnswer::whole:
      break;
  }
  const std::uintmax_t length = size ? range.last - range.first + 1 : 0;
  std::ifstream in(file, std::ios::binary);
  in.seekg(static_cast<std::streamoff>(range.first));
  reply.body.resize(length);
  if (length && !in.read(reply.body.data(), static_cast<std::streamsize>(length))) return std::nullopt;
  return reply;
}

}  // namespace sharetrack::collector
