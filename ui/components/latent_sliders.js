// Latent sliders: one range input per latent dimension; both decoders run here, in the
// browser, on every `input` event, so the pictures change while the thumb moves (Streamlit's
// own slider only reports on release). The decoders' Linear layers arrive once, as base64
// little-endian float32, and are applied exactly as torch does: ReLU between layers, a
// sigmoid on the last one. Pure functions come first and are exported for the Node test.

const PIXEL_MAX = 255;
const RGBA = 4;
// up to this many sliders get a row each; more share rows two by two
const FEW_DIMENSIONS = 4;

// ---------------------------------------------------------------- pure decoding

export function floatsFromBase64(text) {
  const binary = atob(text);
  const view = new DataView(new ArrayBuffer(binary.length));
  for (let index = 0; index < binary.length; index += 1) {
    view.setUint8(index, binary.charCodeAt(index));
  }
  const values = new Float32Array(binary.length / 4);
  for (let index = 0; index < values.length; index += 1) {
    // explicit little-endian: the order Python wrote them in, whatever this machine uses
    values[index] = view.getFloat32(index * 4, true);
  }
  return values;
}

export function parseDecoder(spec) {
  return spec.layers.map((layer) => ({
    inputs: layer.inputs,
    outputs: layer.outputs,
    weight: floatsFromBase64(layer.weight),
    bias: floatsFromBase64(layer.bias),
    output: new Float64Array(layer.outputs),
  }));
}

// Pixel probabilities (image_size * image_size) for one code z; the buffers are reused.
export function decode(layers, z) {
  let x = z;
  layers.forEach((layer, position) => {
    const last = position === layers.length - 1;
    const { inputs, outputs, weight, bias, output } = layer;
    for (let row = 0; row < outputs; row += 1) {
      // torch's Linear stores its weight as (outputs, inputs), row by row
      let sum = bias[row];
      const offset = row * inputs;
      for (let column = 0; column < inputs; column += 1) {
        sum += weight[offset + column] * x[column];
      }
      output[row] = last ? 1 / (1 + Math.exp(-sum)) : Math.max(sum, 0);
    }
    x = output;
  });
  return x;
}

// A small seeded generator (mulberry32) and Box-Muller, so "random" is repeatable.
export function seededNormals(seed) {
  let state = seed >>> 0;
  const uniform = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
  return () => {
    const radius = Math.sqrt(-2 * Math.log(1 - uniform()));
    return radius * Math.cos(2 * Math.PI * uniform());
  };
}

// ---------------------------------------------------------------- the view

function drawPixels(canvas, pixels, size) {
  const context = canvas.getContext("2d");
  const image = context.createImageData(size, size);
  for (let index = 0; index < size * size; index += 1) {
    const level = Math.round(pixels[index] * PIXEL_MAX);
    image.data.set([level, level, level, PIXEL_MAX], index * RGBA);
  }
  context.putImageData(image, 0, 0);
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

// Position along the track, 0-100; bands reaching past the slider's ends are cut there.
function percent(value, axis) {
  const share = (value - axis.low) / (axis.high - axis.low);
  return 100 * Math.min(1, Math.max(0, share));
}

function bandRow(axis) {
  const track = element("div", "bands");
  axis.bands.forEach((band, model) => {
    if (!band) return;
    const span = element("span", `band band-${model}`);
    span.style.left = `${percent(band[0], axis)}%`;
    span.style.width = `${percent(band[1], axis) - percent(band[0], axis)}%`;
    track.append(span);
  });
  return track;
}

class SliderView {
  constructor(root) {
    this.root = root;
    this.signature = null;
    this.modelSignature = null;
    this.revision = null;
    this.seed = null;
    this.pending = false;
    this.frames = 0;
    this.frameMs = [];
  }

  // Called on every script run; rebuilds only when the models, the axes or the text changed.
  update(data, report) {
    this.report = report;
    const signature = JSON.stringify([data.signature, data.text, data.axes]);
    const sameModels = data.signature === this.modelSignature;
    const previous = this.z ? Array.from(this.z) : null;
    const rebuild = signature !== this.signature;
    if (rebuild) {
      this.signature = signature;
      this.modelSignature = data.signature;
      this.build(data);
    }
    if (data.seed !== this.seed) {
      this.seed = data.seed;
      this.random = seededNormals(data.seed);
    }
    if (data.revision !== this.revision) {
      this.revision = data.revision;
      this.setVector(data.z);
    } else if (rebuild) {
      // new text (another language) keeps the models, so it keeps the vector too
      this.setVector(sameModels && previous ? previous : data.z);
    }
  }

  build(data) {
    this.size = data.image_size;
    this.axes = data.axes;
    this.models = data.decoders.map((spec) => (spec ? parseDecoder(spec) : null));
    this.z = new Float64Array(this.axes.length);
    this.buildPictures(data);
    this.buildControls(data);
  }

  buildPictures(data) {
    const pictures = this.root.querySelector(".pictures");
    pictures.replaceChildren();
    this.canvases = data.decoders.map((spec, model) => {
      const figure = element("figure", `picture picture-${model}`);
      const canvas = element("canvas");
      canvas.width = this.size;
      canvas.height = this.size;
      canvas.dataset.model = String(model);
      figure.append(canvas, element("figcaption", "", data.text.captions[model]));
      if (!spec) figure.append(element("p", "missing", data.text.missing[model]));
      pictures.append(figure);
      return canvas;
    });
  }

  buildControls(data) {
    const buttons = this.root.querySelector(".buttons");
    buttons.replaceChildren();
    const reset = element("button", "reset", data.text.reset);
    const random = element("button", "random", data.text.random);
    reset.type = "button";
    random.type = "button";
    reset.addEventListener("click", () => this.applyAndReport(this.axes.map(() => 0)));
    random.addEventListener("click", () => this.applyAndReport(this.randomVector()));
    buttons.append(reset, random);
    this.root.querySelector(".legend").replaceChildren(
      ...data.text.bands.map((label, model) => element("span", `key key-${model}`, label)),
    );
    const dims = this.root.querySelector(".dims");
    dims.replaceChildren();
    dims.classList.toggle("many", this.axes.length > FEW_DIMENSIONS);
    this.inputs = this.axes.map((axis, dim) => this.buildSlider(dims, axis, dim, data.text));
  }

  buildSlider(dims, axis, dim, text) {
    const row = element("div", "dim");
    const label = element("label", "name", `z${dim + 1}`);
    const input = element("input");
    Object.assign(input, { type: "range", min: axis.low, max: axis.high, step: axis.step });
    input.id = `lse-z-${dim}`;
    input.setAttribute("aria-label", `${text.dimension} ${dim + 1}`);
    label.htmlFor = input.id;
    const readout = element("output", "value");
    input.addEventListener("input", () => {
      this.z[dim] = Number(input.value);
      readout.textContent = this.z[dim].toFixed(2);
      this.schedule();
    });
    // `change` fires on release and on each arrow key: then Python hears the vector
    input.addEventListener("change", () => this.sendVector());
    row.append(label, input, readout, bandRow(axis));
    dims.append(row);
    return { input, readout };
  }

  randomVector() {
    return this.axes.map((axis) => Math.min(axis.high, Math.max(axis.low, this.random())));
  }

  setVector(values) {
    this.inputs.forEach(({ input, readout }, dim) => {
      const value = Number(values?.[dim] ?? 0);
      input.value = String(value);
      // the input rounds to its step and clamps to its range: keep what it shows
      this.z[dim] = Number(input.value);
      readout.textContent = this.z[dim].toFixed(2);
    });
    this.schedule();
  }

  applyAndReport(values) {
    this.setVector(values);
    this.sendVector();
  }

  sendVector() {
    this.report("z", Array.from(this.z));
  }

  // At most one decode per animation frame, however many input events arrive.
  schedule() {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.drawFrame();
    });
  }

  drawFrame() {
    const started = performance.now();
    this.models.forEach((layers, model) => {
      if (layers) drawPixels(this.canvases[model], decode(layers, this.z), this.size);
    });
    this.frames += 1;
    this.frameMs.push(performance.now() - started);
    if (this.frameMs.length > 240) this.frameMs.shift();
    // tests and the benchmark read these
    this.root.dataset.frames = String(this.frames);
    this.root.dataset.frameMs = this.frameMs.map((ms) => ms.toFixed(3)).join(",");
    this.root.dataset.z = Array.from(this.z, (value) => value.toFixed(4)).join(",");
  }
}

const views = new WeakMap();

export default function mountLatentSliders(component) {
  const { parentElement, data, setStateValue } = component;
  const root = parentElement.querySelector(".lse-sliders");
  let view = views.get(root);
  if (!view) {
    view = new SliderView(root);
    views.set(root, view);
  }
  view.update(data, setStateValue);
}
