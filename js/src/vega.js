// The Vega libraries the course's chart widget draws with, as one ES module (see ../build.mjs).
export { default as embed, vega, vegaLite } from "vega-embed";
