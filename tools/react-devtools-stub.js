// Stand-in for the optional react-devtools-core that Ink loads only when DEV is set.
export default { initialize() {}, connectToDevTools() {} };
export function initialize() {}
export function connectToDevTools() {}
