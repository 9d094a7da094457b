// A drawing pad: white strokes on black, like the training images. When a stroke ends the
// drawing goes to Python as a PNG data URL, through the same validated path as an upload.

const BACKGROUND = "#000";
const INK = "#fff";

class DrawingPad {
  constructor(root) {
    this.root = root;
    this.canvas = root.querySelector(".pad");
    this.context = this.canvas.getContext("2d");
    this.brush = root.querySelector(".brush");
    this.drawing = false;
    this.strokes = 0;
    this.clear();
    this.listen();
  }

  clear() {
    this.context.fillStyle = BACKGROUND;
    this.context.fillRect(0, 0, this.canvas.width, this.canvas.height);
    this.strokes = 0;
    this.root.dataset.strokes = "0";
  }

  // Pointer position in canvas pixels, whatever size the canvas is shown at.
  point(event) {
    const box = this.canvas.getBoundingClientRect();
    return [
      ((event.clientX - box.left) * this.canvas.width) / box.width,
      ((event.clientY - box.top) * this.canvas.height) / box.height,
    ];
  }

  listen() {
    this.canvas.addEventListener("pointerdown", (event) => {
      this.canvas.setPointerCapture(event.pointerId);
      this.drawing = true;
      this.last = this.point(event);
      this.line(this.last, this.last);
    });
    this.canvas.addEventListener("pointermove", (event) => {
      if (!this.drawing) return;
      const next = this.point(event);
      this.line(this.last, next);
      this.last = next;
    });
    const finish = () => {
      if (!this.drawing) return;
      this.drawing = false;
      this.strokes += 1;
      this.root.dataset.strokes = String(this.strokes);
      this.report("png", this.canvas.toDataURL("image/png"));
    };
    this.canvas.addEventListener("pointerup", finish);
    this.canvas.addEventListener("pointercancel", finish);
    this.root.querySelector(".clear").addEventListener("click", () => {
      this.clear();
      this.report("png", "");
    });
  }

  line(from, to) {
    const context = this.context;
    context.strokeStyle = INK;
    context.lineWidth = Number(this.brush.value);
    context.lineCap = "round";
    context.lineJoin = "round";
    context.beginPath();
    context.moveTo(...from);
    context.lineTo(...to);
    context.stroke();
  }

  update(data, report) {
    this.report = report;
    this.root.querySelector(".clear").textContent = data.text.clear;
    this.root.querySelector(".brush-text").textContent = data.text.brush;
    this.canvas.setAttribute("aria-label", data.text.canvas);
  }
}

const pads = new WeakMap();

export default function mountDrawingPad(component) {
  const { parentElement, data, setStateValue } = component;
  const root = parentElement.querySelector(".lse-canvas");
  let pad = pads.get(root);
  if (!pad) {
    pad = new DrawingPad(root);
    pads.set(root, pad);
  }
  pad.update(data, setStateValue);
}
