// A --js-library of the web tree. Embind registers std::wstring, std::u16string and std::u32string
// at start whatever the bindings use; none of them crosses this module's boundary, so their
// converters (UTF-16 and UTF-32 coders, about 0.5 KB gzip) stay out of the glue. A binding that
// took one would fail loudly: its type would be unbound.
mergeInto(LibraryManager.library, {
  _embind_register_std_wstring: function (rawType, charSize, name) {},
});
