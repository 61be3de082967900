// The course's chart widget, in the browser (an anywidget front end; the kernel side is dpdlab/chartwidget.py).
//
// The Vega libraries (vega.js beside this file) reach the page once per kernel: the first chart asks the
// kernel's one VegaLibrary widget, which every chart refers to, and it answers with the code in a custom
// message (not in its state, which every saved notebook would carry). They are imported once per page. A chart is drawn as SVG
// inside a figure that screen readers announce as one image, with the chart's title and description as its
// label. vega-embed's menu (save as SVG or PNG) sits beside the figure, not in it: an image has no controls
// inside, and the menu's button is named for screen readers. When the kernel changes only the chart's data, title or description, the drawn view is updated in
// place (its datasets replaced, its title signals set); a new structure (spec) draws it anew.
//
// A parameter of the chart that follows a control of its linked widget (the model's ``bindings``) is set
// in the page when the control moves, and the view redrawn at once; the kernel's answer follows.
//
// A chart belongs to its model, not to one view of it: a widget's output area is rebuilt on every change
// of its controls, and the chart's new view takes over the drawing already made instead of drawing again.

const LIBRARIES = (globalThis.__dpdlabVega ??= new Map());
const DRAWINGS = new Map(); // chart id -> the model's own Drawing
const TITLE = "dpdlab_title";
const SUBTITLE = "dpdlab_subtitle";
const CONTENT = ["datasets", "title", "subtitle", "description", "signals", "alt"];
const MENU = "summary"; // vega-embed's button that opens its actions menu
const EMBED_OPTIONS = {
  mode: "vega-lite",
  renderer: "svg",
  // saving the chart as SVG or PNG stays; nothing that opens a page elsewhere
  actions: { export: true, source: false, compiled: false, editor: false },
};

const CODE_WAIT_MS = 60000; // a busy kernel answers after the cell it runs

// The libraries' code, asked of the kernel's VegaLibrary widget (its answer's buffer).
function libraryCode(holder, digest) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error("the kernel did not send the Vega libraries")), CODE_WAIT_MS);
    function finish(error, code) {
      clearTimeout(timer);
      holder.off("msg:custom", answered);
      error ? reject(error) : resolve(code);
    }
    function answered(content, buffers) {
      if (content?.code === digest && buffers?.length) finish(null, buffers[0]);
    }
    holder.on("msg:custom", answered);
    holder.send({ request: "code" });
  });
}

function library(model) {
  const digest = model.get("_library_digest");
  if (!LIBRARIES.has(digest)) {
    const loading = (async () => {
      const id = model.get("_library").replace(/^IPY_MODEL_/, "");
      const holder = await model.widget_manager.get_model(id);
      const url = URL.createObjectURL(new Blob([await libraryCode(holder, digest)], { type: "text/javascript" }));
      try {
        return await import(/* webpackIgnore: true */ url);
      } finally {
        URL.revokeObjectURL(url);
      }
    })();
    loading.catch(() => LIBRARIES.delete(digest)); // a later chart may try again
    LIBRARIES.set(digest, loading);
  }
  return LIBRARIES.get(digest);
}

const copies = (rows) => rows.map((row) => ({ ...row })); // Vega writes parsed values into the rows it gets

function vegaLiteSpec(model) {
  const spec = structuredClone(model.get("spec"));
  const datasets = model.get("datasets");
  spec.datasets = Object.fromEntries(Object.entries(datasets).map(([name, rows]) => [name, copies(rows)]));
  if (spec.title) {
    spec.title.text = model.get("title");
    if ("subtitle" in spec.title) spec.title.subtitle = model.get("subtitle");
  }
  spec.description = model.get("description");
  const signals = model.get("signals") ?? {};
  if (Array.isArray(spec.params)) {
    spec.params = spec.params.map((p) => (p.name in signals ? { ...p, value: signals[p.name] } : p));
  }
  return spec;
}

// What a control of the chart's linked widget holds, as the chart's parameter takes it: a selection
// control's model holds the index of its choice (or of each end of a range), the options' values come
// with the binding.
function controlValue(control, binding) {
  if (!binding.values) return control.get("value");
  const index = control.get("index");
  return Array.isArray(index) ? index.map((i) => binding.values[i]) : binding.values[index];
}

// Applied to the compiled Vega spec: the title and subtitle come from signals, so they change in place.
function titleFromSignals(vega) {
  const title = vega.title;
  if (title && typeof title === "object" && typeof title.text === "string") {
    const signals = [{ name: TITLE, value: title.text }];
    title.text = { signal: TITLE };
    if (typeof title.subtitle === "string") {
      signals.push({ name: SUBTITLE, value: title.subtitle });
      title.subtitle = { signal: SUBTITLE };
    }
    vega.signals = [...(vega.signals ?? []), ...signals];
  }
  return vega;
}

function hasSignal(view, name) {
  try {
    view.signal(name);
    return true;
  } catch {
    return false;
  }
}

// One drawn chart of a model: a figure (in ``root``, beside vega-embed's menu) that follows the model's
// changes until it is closed.
class Drawing {
  constructor(model, lib) {
    this.model = model;
    this.lib = lib;
    this.root = document.createElement("div");
    this.figure = document.createElement("figure");
    this.figure.className = "dpdlab-chart";
    this.figure.setAttribute("role", "img");
    this.figure.style.margin = "0";
    this.root.appendChild(this.figure);
    this.embedded = null; // vega-embed's result: {view, finalize, ...}
    this.running = null;
    this.dirty = false;
    this.restructured = false;
    this.listeners = [["change:spec", () => this.changed(true)], ["change:bindings", () => this.bind()],
                      ...CONTENT.map((name) => [`change:${name}`, () => this.changed(false)])];
    for (const [event, listener] of this.listeners) model.on(event, listener);
    this.controls = []; // [control model, listener]: the controls the chart's parameters follow here
    this.label();
    this.bind();
    this.changed(true);
  }

  // A parameter bound to a control follows it at once, in the page: the kernel's answer comes after.
  async bind() {
    this.unbind();
    const generation = (this.generation = (this.generation ?? 0) + 1); // a later bind() replaces this one
    for (const [name, binding] of Object.entries(this.model.get("bindings") ?? {})) {
      const control = await this.model.widget_manager.get_model(binding.model.replace(/^IPY_MODEL_/, ""));
      if (generation !== this.generation) return;
      const follow = () => {
        const view = this.embedded?.view;
        if (!view || !hasSignal(view, name)) return;
        view.signal(name, controlValue(control, binding));
        view.runAsync().catch((error) => console.error("dpdlab chart:", error));
      };
      for (const event of ["change:index", "change:value"]) control.on(event, follow);
      this.controls.push([control, follow]);
    }
  }

  label() {
    this.figure.setAttribute("aria-label", this.model.get("alt"));
    const menu = this.root.querySelector(MENU);
    if (menu) menu.setAttribute("aria-label", this.model.get("menu_label"));
  }

  // vega-embed draws into ``target``: the chart's own element, then its menu. The chart's element moves into
  // the figure, and the figure takes its place, so the menu stays outside the image, styled as vega-embed
  // styles it.
  async draw() {
    const target = document.createElement("div");
    const embedded = await this.lib.embed(target, vegaLiteSpec(this.model), { ...EMBED_OPTIONS, patch: titleFromSignals });
    this.embedded?.finalize();
    this.embedded = embedded;
    const chart = target.firstElementChild; // the old chart stays until the new one is drawn
    // the figure is the image, named with the chart's title and description: the roles Vega gives the
    // SVG's marks inside it (unnamed, for an empty layer) stay out of the accessibility tree
    chart.setAttribute("aria-hidden", "true");
    target.insertBefore(this.figure, chart);
    this.figure.replaceChildren(chart);
    this.root.replaceChildren(target);
    this.label();
  }

  async update() {
    const { vega } = this.lib;
    const view = this.embedded.view;
    for (const [name, rows] of Object.entries(this.model.get("datasets"))) {
      view.change(name, vega.changeset().remove(vega.truthy).insert(copies(rows)));
    }
    for (const [name, value] of Object.entries(this.model.get("signals") ?? {})) {
      if (hasSignal(view, name)) view.signal(name, value);
    }
    if (hasSignal(view, TITLE)) view.signal(TITLE, this.model.get("title"));
    if (hasSignal(view, SUBTITLE)) view.signal(SUBTITLE, this.model.get("subtitle"));
    view.description(this.model.get("description"));
    await view.runAsync();
    this.label();
  }

  // Every change of one kernel message is seen before the view is touched; changes that arrive while it is
  // being drawn are drawn next, once, from the model's latest state.
  changed(structural) {
    if (Object.keys(this.model.get("spec")).length === 0) return null; // nothing to draw yet
    this.dirty = true;
    this.restructured ||= structural;
    this.running ??= Promise.resolve().then(async () => {
      try {
        while (this.dirty) {
          this.dirty = false;
          const anew = this.restructured || this.embedded === null;
          this.restructured = false;
          await (anew ? this.draw() : this.update());
        }
      } catch (error) {
        console.error("dpdlab chart:", error);
        this.figure.textContent = this.model.get("alt");
        this.root.replaceChildren(this.figure);
      } finally {
        this.running = null;
      }
    });
    return this.running;
  }

  unbind() {
    for (const [control, follow] of this.controls) {
      for (const event of ["change:index", "change:value"]) control.off(event, follow);
    }
    this.controls = [];
  }

  close() {
    for (const [event, listener] of this.listeners) this.model.off(event, listener);
    this.unbind();
    this.embedded?.finalize();
    this.root.remove();
  }
}

async function initialize({ model }) {
  let lib;
  try {
    lib = await library(model);
  } catch (error) {
    console.error("dpdlab chart: the Vega libraries did not load:", error);
    return;
  }
  const id = model.get("_chart_id");
  const drawing = new Drawing(model, lib);
  DRAWINGS.set(id, drawing);
  return () => {
    drawing.close();
    DRAWINGS.delete(id);
  };
}

async function render({ model, el }) {
  const own = DRAWINGS.get(model.get("_chart_id"));
  if (!own) { // the libraries did not load: the text alternative instead
    el.textContent = model.get("alt");
    return;
  }
  if (!own.root.isConnected) { // the usual case: this view takes over the model's drawing
    el.appendChild(own.root);
    await own.running;
    return;
  }
  const second = new Drawing(model, own.lib); // the model is already shown elsewhere on the page
  el.appendChild(second.root);
  await second.running;
  return () => second.close();
}

export default { initialize, render };
