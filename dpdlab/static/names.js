// Accessible names for the controls of one linked widget (the kernel side is dpdlab/widgets.py, ControlNames).
//
// ipywidgets shows a control's description as a visible label, but a slider's handle (role="slider") gets no
// accessible name from it, so a screen reader announces an unnamed slider. This view, hidden, sits in the
// widget's box: it names every control of the box that has no name of its own after its visible label, and
// keeps doing so as ipywidgets renders or re-renders the controls.

const NAMED = "[role=slider], select, input, textarea, button";

function visibleLabel(control) {
  const label = control.querySelector(":scope > .widget-label");
  return label ? label.textContent.trim() : "";
}

function nameControls(box, model) {
  for (const control of box.querySelectorAll(".widget-inline-hbox")) {
    const label = visibleLabel(control);
    if (!label) continue;
    const handles = control.querySelectorAll(".noUi-handle[role=slider]");
    handles.forEach((handle, index) => {
      const name = handles.length < 2 ? label
        : model.get(index === 0 ? "lower_end" : "upper_end").replace("{label}", label);
      if (handle.getAttribute("aria-label") !== name) handle.setAttribute("aria-label", name);
    });
    for (const field of control.querySelectorAll(NAMED)) {
      if (field.matches(".noUi-handle, .widget-label") || field.labels?.length || field.hasAttribute("aria-label")) continue;
      if (field.matches("button") && field.textContent.trim()) continue; // a button is named by its text
      field.setAttribute("aria-label", label);
    }
  }
}

function render({ model, el }) {
  el.style.display = "none";
  el.setAttribute("aria-hidden", "true");
  let observer = null;
  // the box is the element the widget's children are drawn into; it exists once this view is attached
  const start = () => {
    const box = el.closest(".widget-box");
    if (!box) return requestAnimationFrame(start);
    nameControls(box, model);
    observer = new MutationObserver(() => nameControls(box, model));
    observer.observe(box, { childList: true, subtree: true });
  };
  requestAnimationFrame(start);
  return () => observer?.disconnect();
}

export default { render };
