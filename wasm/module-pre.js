// Runs inside the module's factory, before the runtime (a --pre-js of the web tree).

// Emscripten 3.1.6 with MINIMAL_RUNTIME and Embind assigns the wasm exports to `asm` without
// declaring it, which throws in an ES module (strict mode): declared here.
var asm;

// The engine with this handle as an object: engine.land(...) calls Module.land(handle, ...).
// The bindings are free functions on a handle, so Embind's class machinery stays out of the glue.
Module['engineOf'] = function (handle) {
  return new Proxy({}, {
    get: function (_, name) {
      var call = name === 'delete' ? Module['deleteEngine'] : Module[name];
      if (typeof call !== 'function') return undefined;  // not thenable, nothing invented
      return function () { return call.apply(null, [handle].concat(Array.prototype.slice.call(arguments))); };
    },
  });
};
