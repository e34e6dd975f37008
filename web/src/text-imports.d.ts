// A stylesheet imported as its text (minified by build.mjs), for a shadow root's <style>.
declare module '*.css' {
  const text: string;
  export default text;
}
