"""The one catalogue of visible strings, in English and Polish.

Keys are grouped in blocks named after the page that uses them. Values are ``str.format``
templates; both languages must have the same keys and the same placeholders (a test checks).
Numbers filled into a template are written the language's way (``77.4`` becomes ``77,4``).
Formulas are not translated: st.latex strings live in the pages and use one notation.
"""

from __future__ import annotations

from typing import Any

from ui.numbers import NumberFormatter
from ui.state import language
from vae_core.data import CLASS_NAMES

LANGUAGE_NAMES = {"en": "English", "pl": "Polski"}

CATALOGUE: dict[str, dict[str, str]] = {
    "en": {
        # --- app and sidebar ---
        "app.title": "Latent Space Explorer",
        "sidebar.header": "Models",
        "sidebar.dataset": "Data set",
        "sidebar.latent_dim": "Latent size",
        "sidebar.beta": "β of the VAE",
        "sidebar.beta_help": (
            "β weighs the KL term. β = 1 is the standard VAE; the AE stays the same."
        ),
        "sidebar.language": "Language",
        "sidebar.pair": "AE: {ae} · VAE: {vae}",
        "dataset.fashion-mnist": "Fashion-MNIST",
        "dataset.mnist": "MNIST",
        "nav.overview": "Overview",
        "nav.latent_map": "Latent map",
        "nav.sliders": "Sliders",
        "nav.manifold_grid": "Manifold grid",
        "nav.interpolation": "Interpolation",
        "nav.sampling": "Sampling",
        "nav.draw": "Draw or upload",
        "nav.applications": "What autoencoders are for",
        "nav.metrics": "Metrics",
        # --- shared by every page ---
        "kind.ae": "Autoencoder (AE)",
        "kind.vae": "Variational autoencoder (VAE)",
        "kind.ae.short": "AE",
        "kind.vae.short": "VAE",
        "model.missing": "Checkpoint {file} is not in {folder}, so the {kind} cannot be shown.",
        "model.rejected": "Checkpoint {file} was rejected: {reason}. The {kind} cannot be shown.",
        "data.unavailable": "The bundled test images {file} cannot be read: {reason}",
        "common.download_png": "Download PNG",
        "common.download_gif": "Download GIF",
        "common.seed": "Seed",
        "common.new_seed": "New seed",
        "common.original": "Original",
        "common.reconstruction": "Reconstruction",
        "common.figure_download_hint": (
            "Figures: the camera icon above each chart downloads it as PNG."
        ),
        "common.placeholder": "This view is being built.",
        "class.fashion-mnist.0": "T-shirt/top",
        "class.fashion-mnist.1": "Trouser",
        "class.fashion-mnist.2": "Pullover",
        "class.fashion-mnist.3": "Dress",
        "class.fashion-mnist.4": "Coat",
        "class.fashion-mnist.5": "Sandal",
        "class.fashion-mnist.6": "Shirt",
        "class.fashion-mnist.7": "Sneaker",
        "class.fashion-mnist.8": "Bag",
        "class.fashion-mnist.9": "Ankle boot",
        # --- overview ---
        "overview.title": "Why a VAE's latent space has no gaps",
        "overview.lead": (
            "An autoencoder squeezes every image into a few numbers, its *code* $z$, and "
            "rebuilds the image from them. A plain autoencoder (AE) learns codes that "
            "reconstruct well, but nothing tells it what the space *between* the codes should "
            "mean. A variational autoencoder (VAE) is trained so that the whole space, not only "
            "the codes it has seen, decodes to something meaningful. Every view of this app "
            "shows both, trained the same way, under the same controls."
        ),
        "overview.picture_title": "The same random codes, two decoders",
        "overview.picture_caption": (
            "{count} codes drawn once from N(0, I) (seed 0) and decoded by each model. The VAE "
            "was trained to make exactly these codes meaningful; the AE never was."
        ),
        "overview.ae_title": "The autoencoder",
        "overview.ae_text": (
            "An encoder $A$ maps an image $x$ with $m$ pixels to a code with $n \\ll m$ "
            "numbers, and a decoder $B$ maps the code back. Both are trained together to make "
            "the reconstruction $\\hat{{x}}$ close to $x$; with pixels in [0, 1] the loss is "
            "the binary cross-entropy, in nats per image:"
        ),
        "overview.gaps_text": (
            "To *generate* new images, we would pick a code and decode it. That needs two "
            "properties the AE's loss never asks for:\n\n"
            "- **continuity**: codes close to each other decode to similar images;\n"
            "- **completeness**: any code drawn from the distribution we sample from decodes to "
            "something meaningful.\n\n"
            "The AE only learns to decode the codes of its training images. Between and around "
            "them there are regions it was never asked about: gaps."
        ),
        "overview.vae_title": "The variational autoencoder",
        "overview.vae_text": (
            "The VAE's encoder outputs, for every latent dimension, a mean $\\mu$ and a standard "
            "deviation $\\sigma$ (as $\\log\\sigma^2$). During training the decoder receives a "
            "random point near the mean, written with the reparameterisation trick so gradients "
            "flow through $\\mu$ and $\\sigma$:"
        ),
        "overview.vae_effect": (
            "The KL term pulls every encoder distribution towards the prior $N(0, I)$, and the "
            "noise forces the decoder to handle whole neighbourhoods of codes. Together they "
            "fill the space: the codes overlap, neighbours decode to similar images, and codes "
            "sampled from the prior decode to plausible images. Minimising the negative ELBO "
            "(evidence lower bound, β = 1) trains both networks at once; other values of β "
            "trade reconstruction against a regular latent space (the sidebar's β ladder)."
        ),
        "overview.models_title": "The shipped models",
        "overview.models_caption": (
            "Test-set figures stored in each checkpoint, in nats per image. Loss: negative ELBO "
            "for a VAE, reconstruction loss for an AE. Above floor: distance to the lowest "
            "reconstruction loss these test images allow."
        ),
        "overview.col.file": "Checkpoint",
        "overview.col.kind": "Kind",
        "overview.col.latent": "Latent size",
        "overview.col.beta": "β",
        "overview.col.epochs": "Epochs",
        "overview.col.loss": "Test loss",
        "overview.col.above_floor": "Above floor",
        "overview.col.kl": "KL",
        "overview.rejected": "Checkpoint {file} was rejected: {reason}",
        "overview.references_title": "References",
        "overview.references": (
            "- D. P. Kingma, M. Welling (2013). *Auto-Encoding Variational Bayes*. "
            "arXiv:1312.6114.\n"
            "- C. Doersch (2016). *Tutorial on Variational Autoencoders*. arXiv:1606.05908."
        ),
        # --- latent map ---
        "latent.title": "Latent map",
        "latent.intro": (
            "Every dot is one test image, placed at its code and coloured by its class. Click a "
            "dot to see the image and both reconstructions. The two maps have their own axes: "
            "the AE's scale is arbitrary, the VAE's is set by its prior N(0, I)."
        ),
        "latent.axis_z": "z{number}",
        "latent.axis_pca": "principal direction {number} of z",
        "latent.index": "Test image",
        "latent.sigma": "{radii} of q(z|x)",
        "latent.prior": "prior N(0, I): {radii}",
        "latent.selected": "selected #{index}",
        "latent.recon_of": "{kind} reconstruction",
        "latent.original": "original: {label}",
        "latent.pad_title": "Latent pad: decode any point",
        "latent.pad_caption": (
            "Click anywhere on the plane (or use the sliders): both models decode the same z, "
            "also where no test image lies. The dots show where each model puts the test "
            "images; the AE's codes may spread far wider, because nothing fixes its scale."
        ),
        "latent.pad_caption_pca": (
            "These models have more than two latent dimensions: the pad moves along the first "
            "two principal directions of each model's test codes, around their mean. The same "
            "pad position therefore means a different z for each model."
        ),
        "latent.pad_extent": "Pad window",
        "latent.pad_auto": "both models (±{extent:g})",
        "latent.pad_x": "horizontal position",
        "latent.pad_y": "vertical position",
        "latent.pad_codes": "{kind} test codes",
        "latent.pad_position": "pad position",
        "latent.pad_point": "Decoding the point **({x:.2f}, {y:.2f})**",
        # --- manifold grid ---
        "grid.title": "Manifold grid",
        "grid.intro": (
            "An N × N grid of codes over a window of the latent plane, decoded by each model. "
            "Contour lines show where the test images' codes lie: a good generator decodes "
            "meaningful images between them too."
        ),
        "grid.steps": "Grid size N",
        "grid.extent": "Window half-width (standard deviations)",
        "grid.extent_help": (
            "VAE: standard deviations of its prior N(0, I). AE: of a Gaussian fitted to its "
            "codes, since the AE has no prior of its own."
        ),
        "grid.gaussian": "Gaussian quantile grid",
        "grid.show_density": "Show code density",
        "grid.density": "code density",
        "grid.axis_quantile": "quantile of {axis}",
        "grid.axis_standardised": "{axis}, standardised",
        "grid.frame_note": (
            "Each grid is laid out in its model's own frame: the VAE's prior N(0, I), and for "
            "the AE a Gaussian fitted to its codes. The quantile grid puts equal probability "
            "mass in every cell (Kingma & Welling 2013, Figure 4)."
        ),
        "grid.pca_note": (
            "These models have {latent_dim} latent dimensions: the grid spans the first two "
            "principal directions of each model's test codes, the others stay at the mean."
        ),
        # --- interpolation ---
        "interp.title": "Interpolation",
        "interp.intro": (
            "Encode two test images, walk from one code to the other and decode every step. "
            "A continuous latent space gives a smooth morph; the pixel blend below only fades "
            "one picture into the other."
        ),
        "interp.start_index": "First image",
        "interp.end_index": "Second image",
        "interp.steps": "Steps",
        "interp.random": "Random pair",
        "interp.seed": "Seed of the random pair: {seed}",
        "interp.linear": "linear path (lerp)",
        "interp.spherical": "spherical path (slerp)",
        "interp.pixels_title": "Pixel space",
        "interp.pixels": "blend of the two images' pixels",
        "interp.row.ae.linear": "AE linear",
        "interp.row.ae.spherical": "AE spherical",
        "interp.row.vae.linear": "VAE linear",
        "interp.row.vae.spherical": "VAE spherical",
        "interp.row.pixels": "pixel blend",
        "interp.gif_caption": "GIF tiles, left to right: {rows}.",
        # --- sampling ---
        "sampling.title": "Sampling",
        "sampling.intro": (
            "Draw codes at random and decode them. The VAE was trained so that codes from "
            "N(0, I) decode to plausible images. The AE has no prior: to be fair, it also gets "
            "codes from a Gaussian fitted to its own test codes."
        ),
        "sampling.temperature": "Temperature",
        "sampling.temperature_help": "Scales the noise: codes are drawn with standard deviation T.",
        "sampling.count": "Samples",
        "sampling.from_prior": "codes from N(0, T² I)",
        "sampling.from_fitted": "codes from a Gaussian fitted to the AE's codes",
        "sampling.note": (
            "Both models decode the same random numbers: the seed fixes them, so the same "
            "seed always shows the same pictures."
        ),
        # --- sliders ---
        "sliders.title": "Sliders: one vector, two decoders",
        "sliders.intro": (
            "Each slider sets one coordinate of a latent vector z. The same z goes to both "
            "decoders, and both pictures are redrawn while you drag, so you see how smoothly "
            "each model's output changes."
        ),
        "sliders.how": (
            "Range: ±3 on every axis, where the VAE's prior N(0, I) puts 99.7 % of its mass, "
            "widened where the AE's codes reach further (or kept at ±3 for finer steps). The "
            "bars under each slider show where the test images' codes lie (1st to 99th "
            "percentile): orange for the AE, blue for the VAE. Nothing asked the AE to put its "
            "codes anywhere in particular, so its bar can sit far from the VAE's; a VAE leaves "
            "dimensions it does not need near 0, so some blue bars are tiny and those sliders "
            "barely change its picture. Arrow keys move a focused slider; reset returns to "
            "z = 0; random draws z from N(0, I) with the seed above."
        ),
        "sliders.window": "Slider range",
        "sliders.window.codes": "±3 and both models' codes",
        "sliders.window.prior": "±3: the VAE's prior",
        "sliders.reset": "Reset to 0",
        "sliders.random": "Random z ~ N(0, I)",
        "sliders.dimension": "latent dimension",
        "sliders.band.ae": "AE test codes",
        "sliders.band.vae": "VAE test codes (means)",
        "sliders.missing": "This model is not available: see the message above.",
        "sliders.seed": "Seed of the random button",
        "sliders.vector": "z = ({vector}) · the downloads show this vector",
        # --- draw ---
        "draw.title": "Draw or upload an image",
        "draw.intro": (
            "Draw on the black pad or upload an image. It is prepared like the {dataset} "
            "training images (a light object on black, cropped, fitted and centred in 28 × 28); "
            "then both models encode it. Below: their reconstructions, and where it lands on "
            "each model's map."
        ),
        "draw.source": "Input",
        "draw.source.draw": "Draw",
        "draw.source.upload": "Upload",
        "draw.upload": "Image file (PNG, JPEG, GIF, BMP, WebP, TIFF; up to 10 MB)",
        "draw.clear": "Clear",
        "draw.brush": "Brush",
        "draw.canvas": "Drawing pad",
        "draw.prepared": "Your image as the models see it (28 × 28)",
        "draw.nothing_yet": (
            "Draw something on the pad (each stroke is sent when you lift the pen) or upload "
            "an image."
        ),
        "draw.maps": "Where your image lands",
        "draw.sigma": "your image: {radii} of q(z|x)",
        "draw.your_image": "your image",
        "draw.error.empty": "The file is empty.",
        "draw.error.too_large": "The file is {size_mb} MB; the limit is {limit_mb} MB.",
        "draw.error.bomb": (
            "The image announces far more pixels than can be decoded safely; it was not opened."
        ),
        "draw.error.too_many_pixels": (
            "The image is {width} × {height} pixels; the limit is {limit_mp} million pixels."
        ),
        "draw.error.zero_size": "The image has no pixels.",
        "draw.error.not_an_image": (
            "This is not an image in a readable format (PNG, JPEG, GIF, BMP, WebP, TIFF, …)."
        ),
        "draw.error.corrupt": "The image data is damaged or incomplete.",
        "draw.error.unsupported_mode": (
            "Images in colour mode {mode} are not supported; save it as an ordinary PNG or JPEG."
        ),
        "draw.error.blank": (
            "The image is blank: nothing stands out from its background. Draw or choose "
            "something with visible contrast."
        ),
        "draw.error.bad_canvas": "The drawing could not be read.",
        # --- applications ---
        "apps.title": "What autoencoders are for",
        "apps.denoise_tab": "Denoising",
        "apps.anomaly_tab": "Anomaly scores",
        "apps.denoise_intro": (
            "Add Gaussian noise to test images and let each model reconstruct them: the "
            "bottleneck keeps what looks like the training data and drops the rest."
        ),
        "apps.noise": "Noise strength (standard deviation)",
        "apps.noise_help": (
            "Standard deviation of the zero-mean Gaussian noise added to pixels in [0, 1]. The "
            "models see the noisy values as they are; the picture clips them to [0, 1]."
        ),
        "apps.clean_noisy": "top: test images · bottom: with noise",
        "apps.mse": "Mean squared error to the clean images",
        "apps.clean_recon_mse": "Reconstructing the clean images themselves: {mse:.4f}.",
        "apps.noisy_mse": (
            "The noisy input is {mse:.4f} from the clean images; the arrows compare each "
            "model's result with that."
        ),
        "apps.anomaly_intro": (
            "{count} test images of {inliers} (the data the models were trained on) and "
            "{count} of {outliers}. A model that fits its data well gives the unfamiliar images "
            "higher scores."
        ),
        "apps.inliers": "training data set",
        "apps.outliers": "other data set",
        "apps.score.recon": "reconstruction loss",
        "apps.score.neg_elbo": "negative ELBO",
        "apps.nats": "nats per image",
        "apps.roc_title": "How well each score separates the two data sets",
        "apps.fpr": "false-positive rate",
        "apps.tpr": "true-positive rate",
        "apps.roc_caption": (
            "AUROC: the chance that an image of the other data set scores higher than one of "
            "the training data set (0.5 is guessing, 1 is perfect). Dashed: raw scores. They "
            "favour simple images: a mostly black digit costs fewer nats than any garment, so "
            "raw likelihood can call the unfamiliar data set familiar (Nalisnick et al. 2019, "
            "arXiv:1810.09136). Solid: the same scores minus each image's own floor, the cost "
            "of reconstructing that image perfectly."
        ),
        "apps.above_floor": "Subtract each image's own floor",
        "apps.above_floor_help": (
            "The floor is the entropy of the image's pixels: the reconstruction loss a perfect "
            "model would still pay on that image. What is left is the model's own excess."
        ),
        "apps.score_above_floor": "{score} above the image's floor",
        # --- metrics ---
        "metrics.title": "Metrics: continuity and completeness, measured",
        "metrics.intro": (
            "Pictures persuade, numbers prove. A judge (a small classifier trained on the data "
            "set) decides whether a decoded image is meaningful; every figure below is computed "
            "the same way for both models from the shipped checkpoints."
        ),
        "metrics.tab.pair": "AE vs VAE",
        "metrics.tab.ladder": "β ladder",
        "metrics.tab.maps": "Maps",
        "metrics.tab.about": "How it is measured",
        "metrics.not_cached": "not in the metrics cache",
        "metrics.ceiling": (
            "**Ceiling** — real test images ({images}): {validity:.1f} % valid at confidence ≥ "
            "{threshold:g}, class coverage {coverage:.2f} bits (at most log₂ 10 = 3.32). The "
            "judge classifies {accuracy:.1f} % of the test images correctly."
        ),
        "metrics.reading": (
            "**Reading** — decoding codes drawn from N(0, I): {vae:.1f} % of the VAE's images "
            "are valid, {ae:.1f} % of the AE's, with class coverage {vae_coverage:.2f} and "
            "{ae_coverage:.2f} bits (validity alone can be high when every sample is the same "
            "class); from a Gaussian fitted to the AE's codes: {ae_fitted:.1f} %. Along straight "
            "paths between test images the largest step is {vae_jump:.2f}× the mean step for "
            "the VAE and {ae_jump:.2f}× for the AE."
        ),
        "metrics.frames_note": (
            "Own axes: the model's latent coordinates (for the VAE these are its prior's). "
            "Whitened: the test codes moved to zero mean and identity covariance; N(0, I) there "
            "is a Gaussian fitted to the codes, and distances are in standard deviations. The "
            "AE's own axes have an arbitrary scale, so its whitened column is the fair one."
        ),
        "metrics.caption_pair": (
            "Continuity and completeness of the AE and the VAE latent spaces, {dataset}, latent "
            "size {latent_dim}."
        ),
        "metrics.caption_ladder": (
            "Reconstruction against latent-space regularity across β, Fashion-MNIST, latent size "
            "2 (figures in each VAE's own axes)."
        ),
        "metrics.stamp": (
            "Checkpoints (SHA-256, first 8 hex digits): {models}; judge {judge} (seed "
            "{judge_seed}). M = {samples} samples per source, K = {pairs} path pairs, S = {steps} "
            "steps per path, seed {seed}, validity threshold {threshold:g}."
        ),
        "metrics.column.figure": "Figure",
        "metrics.column.meaning": "Meaning",
        "metrics.column.beta": "β",
        "metrics.frame.own": "own axes",
        "metrics.frame.whitened": "whitened",
        "metrics.figure.validity": "Validity (%)",
        "metrics.figure.coverage_bits": "Class coverage (bits)",
        "metrics.figure.hole_rate": "Hole rate (%)",
        "metrics.figure.frechet": "Fréchet distance (judge features)",
        "metrics.figure.cycle_error": "Cycle error ||E(D(z)) − z||",
        "metrics.figure.jump_ratio": "Jump ratio",
        "metrics.figure.path_length_ratio": "Path-length ratio",
        "metrics.figure.sensitivity": "Decoder sensitivity ||∂D/∂z||",
        "metrics.variant.prior": "z ~ N(0, I)",
        "metrics.variant.fitted": "z ~ fitted Gaussian",
        "metrics.variant.box": "z ~ uniform box",
        "metrics.variant.lerp": "linear path",
        "metrics.variant.slerp": "spherical path",
        "metrics.variant.mean": "mean",
        "metrics.variant.p99": "99th percentile",
        "metrics.meaning.validity": (
            "share of decoded samples the judge names with confidence ≥ {threshold:g}; higher "
            "is more complete"
        ),
        "metrics.meaning.coverage_bits": (
            "entropy of the judge's labels; 3.32 bits when all ten classes are equally common"
        ),
        "metrics.meaning.hole_rate": (
            "share of samples farther from every test code than {quantile} % of test codes are "
            "from their nearest neighbour; lower is better (most telling in 2-D)"
        ),
        "metrics.meaning.frechet": (
            "distance between decoded samples and test images in the judge's feature space "
            "(FID-like); lower is closer"
        ),
        "metrics.meaning.cycle_error": (
            "how far a decoded sample encodes back from its code, in the column's units; large "
            "where the decoder invents images"
        ),
        "metrics.meaning.jump_ratio": (
            "largest step over mean step between consecutive decoded images on a path; 1 is "
            "perfectly even, large means a sudden jump"
        ),
        "metrics.meaning.path_length_ratio": (
            "summed pixel steps over the distance between the decoded endpoints; 1 is a "
            "straight line in pixel space"
        ),
        "metrics.meaning.sensitivity": (
            "Frobenius norm of the decoder's Jacobian on the linear paths, in pixels per unit of "
            "the column's axes"
        ),
        "metrics.loss.recon_loss": "Reconstruction (nats)",
        "metrics.loss.kl_loss": "KL (nats)",
        "metrics.loss.neg_elbo": "−ELBO (nats)",
        "metrics.download_csv": "Download CSV",
        "metrics.download_latex": "Download LaTeX",
        "metrics.latex_preview": "LaTeX source",
        "metrics.ladder_intro": (
            "The same 2-D Fashion-MNIST VAE trained with different β (weight of the KL term): "
            "small β reconstructs better, large β gives a more regular latent space."
        ),
        "metrics.ladder_missing": (
            "The β ladder needs at least two current 2-D Fashion-MNIST VAEs in the metrics cache."
        ),
        "metrics.maps_2d_only": (
            "Maps exist for 2-D latent spaces only: choose latent size 2 in the sidebar."
        ),
        "metrics.gap_marker": "largest gap (score {score:.2f})",
        "metrics.gap_rule": (
            "Largest gap: the grid cell inside the convex hull of the densest 99 % of the codes "
            "(dashed) with the highest (1 − density / max density) × (cycle error / max cycle "
            "error): few codes between others, and a decoded image that does not encode back "
            "to where it came from. The score is relative to each model's own map: it ranks "
            "places within a model, not models."
        ),
        "metrics.hull": "where the gap is searched",
        "metrics.about": (
            "**Completeness**: M codes per source (N(0, I), a Gaussian fitted to the test codes, "
            "a uniform box over their range) are decoded and shown to the judge. A decoded image "
            "is valid when the judge's top class has probability ≥ {threshold:g}. A sample is in "
            "a hole when it is farther from every test code than {quantile} % of the test codes "
            "are from their nearest neighbour. **Continuity**: K random pairs of test images are "
            "joined by linear and spherical paths of S codes; the pixel distances between "
            "consecutive decoded images give the jump ratio and the path-length ratio; the "
            "decoder's Jacobian along the linear paths gives its sensitivity."
        ),
        "metrics.settings": (
            "Settings: M = {samples}, K = {pairs}, S = {steps}, sensitivity on {sensitivity_pairs} "
            "paths, maps of {map_steps} × {map_steps} cells, seed {seed}. Cache built {created} "
            "in {seconds} s."
        ),
        "metrics.judge_line": (
            "Judge for {dataset}: `{file}`, test accuracy {accuracy:.1f} %, {epochs} epochs, "
            "seed {seed}."
        ),
        "overlay.label": "Overlay",
        "overlay.help": (
            "Maps computed once from the shipped models (python -m vae_core.metrics "
            "build-cache), drawn in each model's own axes."
        ),
        "overlay.none": "none",
        "overlay.density": "code density",
        "overlay.confidence": "judge confidence",
        "overlay.cycle_error": "cycle error",
        "overlay.sensitivity": "sensitivity",
        "overlay.unit.density": "log₁₀ density",
        "overlay.unit.confidence": "confidence",
        "overlay.unit.cycle_error": "||E(D(z)) − z||",
        "overlay.unit.sensitivity": "||∂D/∂z||",
        "overlay.note.density": (
            "Code density: where the test images' codes lie (kernel density, log₁₀). Dark "
            "regions inside the cloud are gaps."
        ),
        "overlay.note.confidence": (
            "Judge confidence: how sure the classifier is about the image decoded at each "
            "point. Low means the decoder makes something no class resembles."
        ),
        "overlay.note.cycle_error": (
            "Cycle error ||E(D(z)) − z|| in the model's own units: how far the decoded image "
            "encodes back from where it came. High where the decoder invents images."
        ),
        "overlay.note.sensitivity": (
            "Decoder sensitivity ||∂D/∂z||: how fast the decoded image changes as z moves. "
            "Bright ridges are places where a small step changes the image a lot."
        ),
        "overlay.no_cache": (
            "The metrics cache cannot be used ({reason}). Build it with: {command}"
        ),
        "overlay.stale": (
            "The cached figures of {name} are out of date ({reason}), so they are not shown. "
            "Rebuild them with: {command}"
        ),
        "overlay.not_2d": "{name} has no maps: they exist for 2-D latent spaces only.",
        "overlay.gap_button": "Show the largest gap",
        "overlay.gap_button_help": (
            "Move the latent pad to the AE's worst region (from the metrics cache) and decode "
            "it with both models."
        ),
        "overlay.gap_needs_pair": "The largest gap needs both models of the pair.",
        "overlay.gap_title": "**The AE's largest gap** (score {score:.2f} of 1)",
        "overlay.gap_ae": "AE at its gap ({x:.2f}, {y:.2f}).",
        "overlay.gap_vae": "VAE at the matching point ({x:.2f}, {y:.2f}).",
        "overlay.gap_values": "Judge confidence {confidence:.2f}, cycle error {cycle:.3g}.",
        "overlay.gap_outside": "Outside the cached map.",
        "overlay.gap_explained": (
            "The matching point sits at the same place relative to the VAE's test codes as the "
            "gap does relative to the AE's (both clouds whitened). The latent pad below now "
            "decodes the gap's raw coordinates with both models."
        ),
    },
    "pl": {
        # --- app and sidebar ---
        "app.title": "Eksplorator przestrzeni ukrytej",
        "sidebar.header": "Modele",
        "sidebar.dataset": "Zbiór danych",
        "sidebar.latent_dim": "Wymiar przestrzeni ukrytej",
        "sidebar.beta": "β modelu VAE",
        "sidebar.beta_help": (
            "β to waga członu KL. β = 1 to zwykły VAE; autoenkoder pozostaje ten sam."
        ),
        "sidebar.language": "Język",
        "sidebar.pair": "AE: {ae} · VAE: {vae}",
        "dataset.fashion-mnist": "Fashion-MNIST",
        "dataset.mnist": "MNIST",
        "nav.overview": "Wprowadzenie",
        "nav.latent_map": "Mapa przestrzeni ukrytej",
        "nav.sliders": "Suwaki",
        "nav.manifold_grid": "Siatka rozmaitości",
        "nav.interpolation": "Interpolacja",
        "nav.sampling": "Próbkowanie",
        "nav.draw": "Rysuj lub wgraj",
        "nav.applications": "Do czego służą autoenkodery",
        "nav.metrics": "Miary",
        # --- shared by every page ---
        "kind.ae": "Autoenkoder (AE)",
        "kind.vae": "Autoenkoder wariacyjny (VAE)",
        "kind.ae.short": "AE",
        "kind.vae.short": "VAE",
        "model.missing": "Brak pliku {file} w folderze {folder}, więc nie można pokazać: {kind}.",
        "model.rejected": "Plik {file} został odrzucony: {reason}. Nie można pokazać: {kind}.",
        "data.unavailable": "Nie można odczytać dołączonych obrazów testowych {file}: {reason}",
        "common.download_png": "Pobierz PNG",
        "common.download_gif": "Pobierz GIF",
        "common.seed": "Ziarno losowania",
        "common.new_seed": "Nowe ziarno",
        "common.original": "Oryginał",
        "common.reconstruction": "Rekonstrukcja",
        "common.figure_download_hint": (
            "Wykresy: ikona aparatu nad każdym wykresem pobiera go jako PNG."
        ),
        "common.placeholder": "Ten widok jest w budowie.",
        "class.fashion-mnist.0": "Koszulka/top",
        "class.fashion-mnist.1": "Spodnie",
        "class.fashion-mnist.2": "Sweter",
        "class.fashion-mnist.3": "Sukienka",
        "class.fashion-mnist.4": "Płaszcz",
        "class.fashion-mnist.5": "Sandał",
        "class.fashion-mnist.6": "Koszula",
        "class.fashion-mnist.7": "Tenisówka",
        "class.fashion-mnist.8": "Torba",
        "class.fashion-mnist.9": "Botek",
        # --- overview ---
        "overview.title": "Dlaczego przestrzeń ukryta VAE nie ma luk",
        "overview.lead": (
            "Autoenkoder ściska każdy obraz do kilku liczb, jego *kodu* $z$, i odtwarza z nich "
            "obraz. Zwykły autoenkoder (AE) uczy się kodów, które dobrze odtwarzają obrazy, ale "
            "nic nie mówi mu, co powinna znaczyć przestrzeń *między* kodami. Autoenkoder "
            "wariacyjny (VAE) jest uczony tak, by cała przestrzeń, a nie tylko widziane kody, "
            "dekodowała się do sensownych obrazów. Każdy widok tej aplikacji pokazuje oba "
            "modele, uczone tak samo, sterowane tymi samymi kontrolkami."
        ),
        "overview.picture_title": "Te same losowe kody, dwa dekodery",
        "overview.picture_caption": (
            "{count} kodów wylosowanych raz z N(0, I) (ziarno 0) i zdekodowanych przez każdy "
            "model. VAE uczono, by właśnie takie kody miały sens; AE nigdy."
        ),
        "overview.ae_title": "Autoenkoder",
        "overview.ae_text": (
            "Koder $A$ przekształca obraz $x$ o $m$ pikselach w kod złożony z $n \\ll m$ liczb, "
            "a dekoder $B$ przekształca kod z powrotem. Oba uczą się razem, by rekonstrukcja "
            "$\\hat{{x}}$ była bliska $x$; dla pikseli z [0, 1] funkcją straty jest binarna "
            "entropia krzyżowa, w natach na obraz:"
        ),
        "overview.gaps_text": (
            "Aby *generować* nowe obrazy, wybieramy kod i go dekodujemy. Potrzeba do tego dwóch "
            "własności, o które funkcja straty AE nigdy nie prosi:\n\n"
            "- **ciągłości**: bliskie kody dekodują się do podobnych obrazów;\n"
            "- **zupełności**: każdy kod wylosowany z rozkładu, z którego próbkujemy, dekoduje "
            "się do czegoś sensownego.\n\n"
            "AE uczy się dekodować tylko kody swoich obrazów treningowych. Między nimi i wokół "
            "nich są obszary, o które nikt go nie pytał: luki."
        ),
        "overview.vae_title": "Autoenkoder wariacyjny",
        "overview.vae_text": (
            "Koder VAE zwraca dla każdego wymiaru przestrzeni ukrytej średnią $\\mu$ i "
            "odchylenie standardowe $\\sigma$ (jako $\\log\\sigma^2$). Podczas uczenia dekoder "
            "dostaje losowy punkt w pobliżu średniej, zapisany za pomocą sztuczki "
            "reparametryzacji, dzięki której gradient przepływa przez $\\mu$ i $\\sigma$:"
        ),
        "overview.vae_effect": (
            "Człon KL przyciąga rozkład kodera do rozkładu a priori $N(0, I)$, a szum zmusza "
            "dekoder do obsługi całych otoczeń kodów. Razem wypełniają przestrzeń: kody "
            "nachodzą na siebie, sąsiednie kody dają podobne obrazy, a kody wylosowane z "
            "rozkładu a priori dają wiarygodne obrazy. Minimalizacja ujemnego ELBO (dolnego "
            "ograniczenia wiarygodności, β = 1) uczy obie sieci jednocześnie; inne wartości β "
            "wymieniają jakość rekonstrukcji na regularność przestrzeni ukrytej (drabina β "
            "w panelu bocznym)."
        ),
        "overview.models_title": "Dołączone modele",
        "overview.models_caption": (
            "Wyniki na zbiorze testowym zapisane w każdym pliku, w natach na obraz. Strata: "
            "ujemne ELBO dla VAE, strata rekonstrukcji dla AE. Ponad minimum: odległość od "
            "najniższej straty rekonstrukcji możliwej dla tych obrazów testowych."
        ),
        "overview.col.file": "Plik modelu",
        "overview.col.kind": "Rodzaj",
        "overview.col.latent": "Wymiar kodu",
        "overview.col.beta": "β",
        "overview.col.epochs": "Epoki",
        "overview.col.loss": "Strata testowa",
        "overview.col.above_floor": "Ponad minimum",
        "overview.col.kl": "KL",
        "overview.rejected": "Plik {file} został odrzucony: {reason}",
        "overview.references_title": "Literatura",
        "overview.references": (
            "- D. P. Kingma, M. Welling (2013). *Auto-Encoding Variational Bayes*. "
            "arXiv:1312.6114.\n"
            "- C. Doersch (2016). *Tutorial on Variational Autoencoders*. arXiv:1606.05908."
        ),
        # --- latent map ---
        "latent.title": "Mapa przestrzeni ukrytej",
        "latent.intro": (
            "Każda kropka to jeden obraz testowy, umieszczony w miejscu swojego kodu i "
            "pokolorowany według klasy. Kliknij kropkę, by zobaczyć obraz i obie rekonstrukcje. "
            "Obie mapy mają własne osie: skala AE jest dowolna, skalę VAE wyznacza rozkład "
            "a priori N(0, I)."
        ),
        "latent.axis_z": "z{number}",
        "latent.axis_pca": "kierunek główny {number} kodu z",
        "latent.index": "Obraz testowy",
        "latent.sigma": "{radii} rozkładu q(z|x)",
        "latent.prior": "rozkład a priori N(0, I): {radii}",
        "latent.selected": "wybrany nr {index}",
        "latent.recon_of": "rekonstrukcja {kind}",
        "latent.original": "oryginał: {label}",
        "latent.pad_title": "Panel przestrzeni ukrytej: zdekoduj dowolny punkt",
        "latent.pad_caption": (
            "Kliknij w dowolnym miejscu płaszczyzny (lub użyj suwaków): oba modele dekodują to "
            "samo z, także tam, gdzie nie ma żadnego obrazu testowego. Kropki pokazują, gdzie "
            "każdy model umieszcza obrazy testowe; kody AE mogą być znacznie bardziej "
            "rozrzucone, bo nic nie ustala ich skali."
        ),
        "latent.pad_caption_pca": (
            "Te modele mają więcej niż dwa wymiary ukryte: panel przesuwa się wzdłuż dwóch "
            "pierwszych kierunków głównych kodów testowych każdego modelu, wokół ich średniej. "
            "To samo miejsce panelu oznacza więc dla każdego modelu inne z."
        ),
        "latent.pad_extent": "Okno panelu",
        "latent.pad_auto": "oba modele (±{extent:g})",
        "latent.pad_x": "położenie poziome",
        "latent.pad_y": "położenie pionowe",
        "latent.pad_codes": "kody testowe {kind}",
        "latent.pad_position": "położenie na panelu",
        "latent.pad_point": "Dekodowanie punktu **({x:.2f}, {y:.2f})**",
        # --- manifold grid ---
        "grid.title": "Siatka rozmaitości",
        "grid.intro": (
            "Siatka N × N kodów w oknie płaszczyzny ukrytej, zdekodowana przez każdy model. "
            "Poziomice pokazują, gdzie leżą kody obrazów testowych: dobry generator także "
            "między nimi dekoduje sensowne obrazy."
        ),
        "grid.steps": "Rozmiar siatki N",
        "grid.extent": "Połowa szerokości okna (odchylenia standardowe)",
        "grid.extent_help": (
            "VAE: odchylenia standardowe rozkładu a priori N(0, I). AE: rozkładu normalnego "
            "dopasowanego do jego kodów, bo AE nie ma własnego rozkładu a priori."
        ),
        "grid.gaussian": "Siatka kwantyli rozkładu normalnego",
        "grid.show_density": "Pokaż gęstość kodów",
        "grid.density": "gęstość kodów",
        "grid.axis_quantile": "kwantyl: {axis}",
        "grid.axis_standardised": "{axis}, standaryzowany",
        "grid.frame_note": (
            "Każda siatka leży we własnym układzie modelu: dla VAE jest to rozkład a priori "
            "N(0, I), dla AE rozkład normalny dopasowany do jego kodów. Siatka kwantyli daje "
            "każdej komórce tę samą masę prawdopodobieństwa (Kingma i Welling 2013, rys. 4)."
        ),
        "grid.pca_note": (
            "Te modele mają {latent_dim} wymiarów ukrytych: siatka rozpina się na dwóch "
            "pierwszych kierunkach głównych kodów testowych każdego modelu, pozostałe "
            "współrzędne są równe średniej."
        ),
        # --- interpolation ---
        "interp.title": "Interpolacja",
        "interp.intro": (
            "Zakoduj dwa obrazy testowe, przejdź od jednego kodu do drugiego i zdekoduj każdy "
            "krok. Ciągła przestrzeń ukryta daje płynne przejście; mieszanie pikseli poniżej "
            "tylko przenika jeden obraz w drugi."
        ),
        "interp.start_index": "Pierwszy obraz",
        "interp.end_index": "Drugi obraz",
        "interp.steps": "Liczba kroków",
        "interp.random": "Losowa para",
        "interp.seed": "Ziarno losowej pary: {seed}",
        "interp.linear": "ścieżka liniowa (lerp)",
        "interp.spherical": "ścieżka sferyczna (slerp)",
        "interp.pixels_title": "Przestrzeń pikseli",
        "interp.pixels": "mieszanie pikseli obu obrazów",
        "interp.row.ae.linear": "AE liniowa",
        "interp.row.ae.spherical": "AE sferyczna",
        "interp.row.vae.linear": "VAE liniowa",
        "interp.row.vae.spherical": "VAE sferyczna",
        "interp.row.pixels": "mieszanie pikseli",
        "interp.gif_caption": "Kafelki GIF-a, od lewej: {rows}.",
        # --- sampling ---
        "sampling.title": "Próbkowanie",
        "sampling.intro": (
            "Wylosuj kody i zdekoduj je. VAE uczono tak, by kody z N(0, I) dawały wiarygodne "
            "obrazy. AE nie ma rozkładu a priori: dla uczciwego porównania dostaje też kody z "
            "rozkładu normalnego dopasowanego do jego własnych kodów testowych."
        ),
        "sampling.temperature": "Temperatura",
        "sampling.temperature_help": (
            "Skaluje szum: kody są losowane z odchyleniem standardowym T."
        ),
        "sampling.count": "Liczba próbek",
        "sampling.from_prior": "kody z N(0, T² I)",
        "sampling.from_fitted": "kody z rozkładu normalnego dopasowanego do kodów AE",
        "sampling.note": (
            "Oba modele dekodują te same liczby losowe: ustala je ziarno, więc to samo ziarno "
            "zawsze daje te same obrazy."
        ),
        # --- sliders ---
        "sliders.title": "Suwaki: jeden wektor, dwa dekodery",
        "sliders.intro": (
            "Każdy suwak ustawia jedną współrzędną wektora ukrytego z. Ten sam z trafia do obu "
            "dekoderów, a oba obrazy są rysowane na nowo w trakcie przeciągania, więc widać, "
            "jak płynnie zmienia się wynik każdego modelu."
        ),
        "sliders.how": (
            "Zakres: ±3 na każdej osi, gdzie rozkład a priori N(0, I) modelu VAE ma 99,7 % "
            "swojej masy, poszerzony tam, gdzie kody AE sięgają dalej (albo tylko ±3, by mieć "
            "drobniejsze kroki). Paski pod suwakami pokazują, gdzie leżą kody obrazów testowych "
            "(od 1. do 99. percentyla): pomarańczowy dla AE, niebieski dla VAE. Nic nie kazało "
            "autoenkoderowi umieszczać kodów w określonym miejscu, więc jego pasek może leżeć "
            "daleko od paska VAE; VAE zostawia niepotrzebne mu wymiary blisko 0, więc niektóre "
            "niebieskie paski są malutkie, a te suwaki prawie nie zmieniają jego obrazu. "
            "Strzałki przesuwają wybrany suwak; zerowanie wraca do z = 0; losowanie losuje z "
            "z N(0, I) z ziarnem podanym powyżej."
        ),
        "sliders.window": "Zakres suwaków",
        "sliders.window.codes": "±3 i kody obu modeli",
        "sliders.window.prior": "±3: rozkład a priori VAE",
        "sliders.reset": "Zeruj",
        "sliders.random": "Losuj z ~ N(0, I)",
        "sliders.dimension": "wymiar ukryty",
        "sliders.band.ae": "kody testowe AE",
        "sliders.band.vae": "kody testowe VAE (średnie)",
        "sliders.missing": "Ten model jest niedostępny: zobacz komunikat powyżej.",
        "sliders.seed": "Ziarno przycisku losowania",
        "sliders.vector": "z = ({vector}) · pliki do pobrania pokazują ten wektor",
        # --- draw ---
        "draw.title": "Narysuj lub wgraj obraz",
        "draw.intro": (
            "Narysuj coś na czarnym polu albo wgraj obraz. Zostanie przygotowany tak jak obrazy "
            "treningowe zbioru {dataset} (jasny obiekt na czarnym tle, przycięty, dopasowany i "
            "wyśrodkowany w polu 28 × 28), a potem oba modele go zakodują. Poniżej: ich "
            "rekonstrukcje i miejsce, w którym obraz ląduje na mapie każdego modelu."
        ),
        "draw.source": "Źródło",
        "draw.source.draw": "Rysuj",
        "draw.source.upload": "Wgraj",
        "draw.upload": "Plik obrazu (PNG, JPEG, GIF, BMP, WebP, TIFF; do 10 MB)",
        "draw.clear": "Wyczyść",
        "draw.brush": "Pędzel",
        "draw.canvas": "Pole do rysowania",
        "draw.prepared": "Twój obraz tak, jak widzą go modele (28 × 28)",
        "draw.nothing_yet": (
            "Narysuj coś na polu (każda kreska jest wysyłana po podniesieniu pióra) albo wgraj "
            "obraz."
        ),
        "draw.maps": "Gdzie ląduje twój obraz",
        "draw.sigma": "twój obraz: {radii} rozkładu q(z|x)",
        "draw.your_image": "twój obraz",
        "draw.error.empty": "Plik jest pusty.",
        "draw.error.too_large": "Plik ma {size_mb} MB; limit to {limit_mb} MB.",
        "draw.error.bomb": (
            "Obraz deklaruje znacznie więcej pikseli, niż można bezpiecznie zdekodować, więc "
            "nie został otwarty."
        ),
        "draw.error.too_many_pixels": (
            "Obraz ma {width} × {height} pikseli; limit to {limit_mp} mln pikseli."
        ),
        "draw.error.zero_size": "Obraz nie ma żadnych pikseli.",
        "draw.error.not_an_image": (
            "To nie jest obraz w czytelnym formacie (PNG, JPEG, GIF, BMP, WebP, TIFF, …)."
        ),
        "draw.error.corrupt": "Dane obrazu są uszkodzone lub niekompletne.",
        "draw.error.unsupported_mode": (
            "Obrazy w trybie kolorów {mode} nie są obsługiwane; zapisz obraz jako zwykły PNG "
            "lub JPEG."
        ),
        "draw.error.blank": (
            "Obraz jest pusty: nic nie odróżnia się od tła. Narysuj lub wybierz coś z widocznym "
            "kontrastem."
        ),
        "draw.error.bad_canvas": "Nie udało się odczytać rysunku.",
        # --- applications ---
        "apps.title": "Do czego służą autoenkodery",
        "apps.denoise_tab": "Odszumianie",
        "apps.anomaly_tab": "Wykrywanie anomalii",
        "apps.denoise_intro": (
            "Dodaj szum gaussowski do obrazów testowych i pozwól każdemu modelowi je odtworzyć: "
            "wąskie gardło zachowuje to, co przypomina dane treningowe, a resztę odrzuca."
        ),
        "apps.noise": "Siła szumu (odchylenie standardowe)",
        "apps.noise_help": (
            "Odchylenie standardowe szumu gaussowskiego o średniej zero dodanego do pikseli z "
            "[0, 1]. Modele widzą zaszumione wartości bez zmian; obraz przycina je do [0, 1]."
        ),
        "apps.clean_noisy": "u góry: obrazy testowe · u dołu: z szumem",
        "apps.mse": "Błąd średniokwadratowy względem czystych obrazów",
        "apps.clean_recon_mse": "Rekonstrukcja samych czystych obrazów: {mse:.4f}.",
        "apps.noisy_mse": (
            "Zaszumione wejście różni się od czystych obrazów o {mse:.4f}; strzałki porównują "
            "z tym wynik każdego modelu."
        ),
        "apps.anomaly_intro": (
            "{count} obrazów testowych ze zbioru {inliers} (na którym uczono modele) i {count} "
            "ze zbioru {outliers}. Model dobrze dopasowany do swoich danych daje obcym obrazom "
            "wyższe wyniki."
        ),
        "apps.inliers": "zbiór treningowy",
        "apps.outliers": "inny zbiór",
        "apps.score.recon": "strata rekonstrukcji",
        "apps.score.neg_elbo": "ujemne ELBO",
        "apps.nats": "naty na obraz",
        "apps.roc_title": "Jak dobrze każdy wynik rozdziela oba zbiory",
        "apps.fpr": "odsetek fałszywie pozytywnych",
        "apps.tpr": "odsetek prawdziwie pozytywnych",
        "apps.roc_caption": (
            "AUROC: prawdopodobieństwo, że obraz z innego zbioru dostanie wyższy wynik niż "
            "obraz ze zbioru treningowego (0,5 to zgadywanie, 1 to ideał). Linie przerywane: "
            "surowe wyniki. Faworyzują proste obrazy: prawie czarna cyfra kosztuje mniej natów "
            "niż dowolne ubranie, więc sama wiarygodność może uznać obcy zbiór za znajomy "
            "(Nalisnick i in. 2019, arXiv:1810.09136). Linie ciągłe: te same wyniki minus "
            "minimum danego obrazu, czyli koszt jego idealnej rekonstrukcji."
        ),
        "apps.above_floor": "Odejmij minimum każdego obrazu",
        "apps.above_floor_help": (
            "Minimum to entropia pikseli obrazu: strata rekonstrukcji, którą poniósłby nawet "
            "idealny model. Reszta to nadwyżka samego modelu."
        ),
        "apps.score_above_floor": "{score} ponad minimum obrazu",
        # --- metrics ---
        "metrics.title": "Metryki: ciągłość i zupełność w liczbach",
        "metrics.intro": (
            "Obrazy przekonują, liczby dowodzą. Sędzia (mały klasyfikator wytrenowany na zbiorze "
            "danych) rozstrzyga, czy zdekodowany obraz ma sens; każda liczba poniżej jest "
            "liczona tak samo dla obu modeli z dostarczonych punktów kontrolnych."
        ),
        "metrics.tab.pair": "AE a VAE",
        "metrics.tab.ladder": "Drabina β",
        "metrics.tab.maps": "Mapy",
        "metrics.tab.about": "Jak to mierzymy",
        "metrics.not_cached": "brak w pamięci podręcznej metryk",
        "metrics.ceiling": (
            "**Pułap** — prawdziwe obrazy testowe ({images}): {validity:.1f} % poprawnych przy "
            "pewności ≥ {threshold:g}, pokrycie klas {coverage:.2f} bitu (najwyżej log₂ 10 = "
            "3.32). Sędzia poprawnie klasyfikuje {accuracy:.1f} % obrazów testowych."
        ),
        "metrics.reading": (
            "**Odczyt** — dekodując kody losowane z N(0, I): {vae:.1f} % obrazów VAE jest "
            "poprawnych, a AE {ae:.1f} %, przy pokryciu klas {vae_coverage:.2f} i "
            "{ae_coverage:.2f} bitu (sama poprawność bywa wysoka, gdy każda próbka jest tej "
            "samej klasy); z rozkładu Gaussa dopasowanego do kodów AE: {ae_fitted:.1f} %. Na "
            "prostych ścieżkach między obrazami testowymi największy krok to {vae_jump:.2f}× "
            "średni krok dla VAE i {ae_jump:.2f}× dla AE."
        ),
        "metrics.frames_note": (
            "Własne osie: współrzędne ukryte modelu (dla VAE — jego rozkładu a priori). "
            "Wybielone: kody testowe przesunięte do zerowej średniej i jednostkowej kowariancji; "
            "N(0, I) oznacza tam rozkład Gaussa dopasowany do kodów, a odległości są w "
            "odchyleniach standardowych. Własne osie AE mają dowolną skalę, więc uczciwa jest "
            "jego kolumna wybielona."
        ),
        "metrics.caption_pair": (
            "Ciągłość i zupełność przestrzeni ukrytych AE i VAE, {dataset}, wymiar przestrzeni "
            "ukrytej {latent_dim}."
        ),
        "metrics.caption_ladder": (
            "Rekonstrukcja a regularność przestrzeni ukrytej dla różnych β, Fashion-MNIST, wymiar "
            "przestrzeni ukrytej 2 (liczby we własnych osiach każdego VAE)."
        ),
        "metrics.stamp": (
            "Punkty kontrolne (SHA-256, pierwsze 8 cyfr szesnastkowych): {models}; sędzia {judge} "
            "(ziarno {judge_seed}). M = {samples} próbek na źródło, K = {pairs} par ścieżek, "
            "S = {steps} kroków na ścieżkę, ziarno {seed}, próg poprawności {threshold:g}."
        ),
        "metrics.column.figure": "Miara",
        "metrics.column.meaning": "Znaczenie",
        "metrics.column.beta": "β",
        "metrics.frame.own": "własne osie",
        "metrics.frame.whitened": "wybielone",
        "metrics.figure.validity": "Poprawność (%)",
        "metrics.figure.coverage_bits": "Pokrycie klas (bity)",
        "metrics.figure.hole_rate": "Odsetek dziur (%)",
        "metrics.figure.frechet": "Odległość Frécheta (cechy sędziego)",
        "metrics.figure.cycle_error": "Błąd cyklu ||E(D(z)) − z||",
        "metrics.figure.jump_ratio": "Współczynnik skoku",
        "metrics.figure.path_length_ratio": "Współczynnik długości ścieżki",
        "metrics.figure.sensitivity": "Czułość dekodera ||∂D/∂z||",
        "metrics.variant.prior": "z ~ N(0, I)",
        "metrics.variant.fitted": "z ~ dopasowany Gauss",
        "metrics.variant.box": "z ~ jednostajny",
        "metrics.variant.lerp": "ścieżka liniowa",
        "metrics.variant.slerp": "ścieżka sferyczna",
        "metrics.variant.mean": "średnia",
        "metrics.variant.p99": "99. percentyl",
        "metrics.meaning.validity": (
            "odsetek zdekodowanych próbek, którym sędzia przypisuje klasę z pewnością ≥ "
            "{threshold:g}; więcej znaczy pełniej"
        ),
        "metrics.meaning.coverage_bits": (
            "entropia etykiet sędziego; 3.32 bitu, gdy wszystkie dziesięć klas jest równie częstych"
        ),
        "metrics.meaning.hole_rate": (
            "odsetek próbek dalszych od każdego kodu testowego niż {quantile} % kodów testowych "
            "od swojego najbliższego sąsiada; mniej znaczy lepiej (najwięcej mówi w 2-D)"
        ),
        "metrics.meaning.frechet": (
            "odległość między zdekodowanymi próbkami a obrazami testowymi w przestrzeni cech "
            "sędziego (podobnie jak FID); mniej znaczy bliżej"
        ),
        "metrics.meaning.cycle_error": (
            "jak daleko od swojego kodu koduje się z powrotem zdekodowana próbka, w jednostkach "
            "kolumny; duży tam, gdzie dekoder wymyśla obrazy"
        ),
        "metrics.meaning.jump_ratio": (
            "największy krok przez średni krok między kolejnymi zdekodowanymi obrazami na "
            "ścieżce; 1 to idealnie równo, dużo to nagły skok"
        ),
        "metrics.meaning.path_length_ratio": (
            "suma kroków w pikselach przez odległość między zdekodowanymi końcami; 1 to linia "
            "prosta w przestrzeni pikseli"
        ),
        "metrics.meaning.sensitivity": (
            "norma Frobeniusa jakobianu dekodera na ścieżkach liniowych, w pikselach na "
            "jednostkę osi kolumny"
        ),
        "metrics.loss.recon_loss": "Rekonstrukcja (naty)",
        "metrics.loss.kl_loss": "KL (naty)",
        "metrics.loss.neg_elbo": "−ELBO (naty)",
        "metrics.download_csv": "Pobierz CSV",
        "metrics.download_latex": "Pobierz LaTeX",
        "metrics.latex_preview": "Źródło LaTeX",
        "metrics.ladder_intro": (
            "Ten sam dwuwymiarowy VAE dla Fashion-MNIST uczony z różnym β (wagą członu KL): małe "
            "β lepiej rekonstruuje, duże β daje bardziej regularną przestrzeń ukrytą."
        ),
        "metrics.ladder_missing": (
            "Drabina β wymaga co najmniej dwóch aktualnych dwuwymiarowych VAE dla Fashion-MNIST "
            "w pamięci podręcznej metryk."
        ),
        "metrics.maps_2d_only": (
            "Mapy istnieją tylko dla dwuwymiarowych przestrzeni ukrytych: wybierz wymiar 2 na "
            "pasku bocznym."
        ),
        "metrics.gap_marker": "największa dziura (wynik {score:.2f})",
        "metrics.gap_rule": (
            "Największa dziura: komórka siatki wewnątrz otoczki wypukłej najgęściej położonych "
            "99 % kodów (linia przerywana) z najwyższym (1 − gęstość / maks. gęstość) × (błąd "
            "cyklu / maks. błąd cyklu): mało kodów pomiędzy innymi i zdekodowany obraz, który "
            "nie koduje się z powrotem tam, skąd pochodzi. Wynik jest względny wobec mapy "
            "danego modelu: porządkuje miejsca w modelu, nie modele."
        ),
        "metrics.hull": "obszar szukania dziury",
        "metrics.about": (
            "**Zupełność**: M kodów z każdego źródła (N(0, I), rozkład Gaussa dopasowany do "
            "kodów testowych, jednostajny prostopadłościan obejmujący ich zakres) jest "
            "dekodowanych i ocenianych przez sędziego. Zdekodowany obraz jest poprawny, gdy "
            "najbardziej prawdopodobna klasa ma prawdopodobieństwo ≥ {threshold:g}. Próbka leży "
            "w dziurze, gdy jest dalej od każdego kodu testowego niż {quantile} % kodów testowych "
            "od swojego najbliższego sąsiada. **Ciągłość**: K losowych par obrazów testowych "
            "łączą ścieżki liniowe i sferyczne z S kodów; odległości w pikselach między kolejnymi "
            "zdekodowanymi obrazami dają współczynnik skoku i współczynnik długości ścieżki; "
            "jakobian dekodera na ścieżkach liniowych daje jego czułość."
        ),
        "metrics.settings": (
            "Ustawienia: M = {samples}, K = {pairs}, S = {steps}, czułość na {sensitivity_pairs} "
            "ścieżkach, mapy {map_steps} × {map_steps} komórek, ziarno {seed}. Pamięć podręczna "
            "zbudowana {created} w {seconds} s."
        ),
        "metrics.judge_line": (
            "Sędzia dla {dataset}: `{file}`, dokładność testowa {accuracy:.1f} %, {epochs} epok, "
            "ziarno {seed}."
        ),
        "overlay.label": "Nakładka",
        "overlay.help": (
            "Mapy policzone raz dla dostarczonych modeli (python -m vae_core.metrics "
            "build-cache), rysowane we własnych osiach każdego modelu."
        ),
        "overlay.none": "brak",
        "overlay.density": "gęstość kodów",
        "overlay.confidence": "pewność sędziego",
        "overlay.cycle_error": "błąd cyklu",
        "overlay.sensitivity": "czułość",
        "overlay.unit.density": "log₁₀ gęstości",
        "overlay.unit.confidence": "pewność",
        "overlay.unit.cycle_error": "||E(D(z)) − z||",
        "overlay.unit.sensitivity": "||∂D/∂z||",
        "overlay.note.density": (
            "Gęstość kodów: gdzie leżą kody obrazów testowych (jądrowy estymator gęstości, "
            "log₁₀). Ciemne obszary wewnątrz chmury to dziury."
        ),
        "overlay.note.confidence": (
            "Pewność sędziego: jak pewny jest klasyfikator obrazu zdekodowanego w każdym punkcie. "
            "Niska oznacza, że dekoder tworzy coś niepodobnego do żadnej klasy."
        ),
        "overlay.note.cycle_error": (
            "Błąd cyklu ||E(D(z)) − z|| we własnych jednostkach modelu: jak daleko zdekodowany "
            "obraz koduje się z powrotem od miejsca, z którego pochodzi. Wysoki tam, gdzie "
            "dekoder wymyśla obrazy."
        ),
        "overlay.note.sensitivity": (
            "Czułość dekodera ||∂D/∂z||: jak szybko zmienia się zdekodowany obraz, gdy z się "
            "przesuwa. Jasne grzbiety to miejsca, gdzie mały krok mocno zmienia obraz."
        ),
        "overlay.no_cache": (
            "Nie można użyć pamięci podręcznej metryk ({reason}). Zbuduj ją poleceniem: {command}"
        ),
        "overlay.stale": (
            "Zapisane liczby dla {name} są nieaktualne ({reason}), więc ich nie pokazujemy. "
            "Przelicz je poleceniem: {command}"
        ),
        "overlay.not_2d": "{name} nie ma map: istnieją tylko dla dwuwymiarowych przestrzeni.",
        "overlay.gap_button": "Pokaż największą dziurę",
        "overlay.gap_button_help": (
            "Przesuń panel przestrzeni ukrytej do najgorszego obszaru AE (z pamięci podręcznej "
            "metryk) i zdekoduj go obydwoma modelami."
        ),
        "overlay.gap_needs_pair": "Największa dziura wymaga obu modeli z pary.",
        "overlay.gap_title": "**Największa dziura AE** (wynik {score:.2f} na 1)",
        "overlay.gap_ae": "AE w swojej dziurze ({x:.2f}, {y:.2f}).",
        "overlay.gap_vae": "VAE w odpowiadającym punkcie ({x:.2f}, {y:.2f}).",
        "overlay.gap_values": "Pewność sędziego {confidence:.2f}, błąd cyklu {cycle:.3g}.",
        "overlay.gap_outside": "Poza zapisaną mapą.",
        "overlay.gap_explained": (
            "Odpowiadający punkt leży w tym samym miejscu względem kodów testowych VAE, co dziura "
            "względem kodów AE (obie chmury wybielone). Panel przestrzeni ukrytej poniżej dekoduje "
            "teraz surowe współrzędne dziury obydwoma modelami."
        ),
    },
}


def translate(lang: str, key: str, **values: Any) -> str:
    """The string ``key`` in language ``lang``, with ``values`` filled in.

    Raises:
        KeyError: If the key is not in the catalogue (a test keeps both languages complete).
    """
    return NumberFormatter(lang).format(CATALOGUE[lang][key], **values)


def t(key: str, **values: Any) -> str:
    """The string ``key`` in the language the sidebar has chosen."""
    return translate(language(), key, **values)


def class_names(dataset: str) -> list[str]:
    """Display names of a data set's classes in the current language (digits stay digits)."""
    names = CLASS_NAMES[dataset]
    if f"class.{dataset}.0" not in CATALOGUE["en"]:
        return list(names)
    return [t(f"class.{dataset}.{label}") for label in range(len(names))]
