// Emscripten 3.1.6 with MINIMAL_RUNTIME and Embind assigns the wasm exports to `asm` without
// declaring it, which throws in an ES module (strict mode): declared here, inside the factory.
var asm;
