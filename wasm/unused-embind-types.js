// A --js-library of the web tree. Embind registers std::wstring, std::u16string, std::u32string
// and every memory_view at start whatever the bindings use; none of them crosses this module's
// boundary, so their converters (UTF-16 and UTF-32 coders, typed-array views) stay out of the
// glue. A binding that took one would fail loudly: its type would be unbound.
mergeInto(LibraryManager.library, {
  _embind_register_std_wstring: function (rawType, charSize, name) {},
  _embind_register_memory_view: function (rawType, dataTypeIndex, name) {},
});
