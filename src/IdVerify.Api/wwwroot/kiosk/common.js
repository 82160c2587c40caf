// Shared by the kiosk and enrollment pages: the operator's key, calls to the service, the camera, prompts and plain-word messages.
// Everything here talks only to the service that served the page (same origin); nothing is loaded from elsewhere.

const keyName = "idverify.apiKey";
const audioName = "idverify.audio";

/** The operator's key lives in this tab's sessionStorage only: gone when the tab closes, never in the page's source. */
export const operatorKey = {
  get: () => sessionStorage.getItem(keyName) ?? "",
  set: (key) => sessionStorage.setItem(keyName, key.trim()),
  clear: () => sessionStorage.removeItem(keyName),
};

export const audioCues = {
  get: () => sessionStorage.getItem(audioName) === "on",
  set: (on) => sessionStorage.setItem(audioName, on ? "on" : "off"),
};

/** Calls the service with the operator's key; answers {ok, status, body} with the JSON or problem+json body. */
export async function callApi(path, { method = "POST", json, form } = {}) {
  const headers = { "X-Api-Key": operatorKey.get() };
  let body;
  if (json !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(json);
  } else if (form !== undefined) {
    body = form;
  }
  let response;
  try {
    response = await fetch(path, { method, headers, body, cache: "no-store" });
  } catch {
    return { ok: false, status: 0, body: { code: "network_error" } };
  }
  const text = await response.text();
  let parsed = {};
  try {
    parsed = text ? JSON.parse(text) : {};
  } catch {
    parsed = {};
  }
  return { ok: response.ok, status: response.status, body: parsed };
}

/** Shows one screen (a section with data-screen) and moves focus to its heading, so keyboards and screen readers follow. */
export function showScreen(name) {
  for (const screen of document.querySelectorAll("section[data-screen]")) {
    screen.hidden = screen.dataset.screen !== name;
  }
  document.body.dataset.current = name;
  document.querySelector(`[data-screen="${name}"] h2`)?.focus();
}

export async function openCamera(video) {
  const stream = await navigator.mediaDevices.getUserMedia({
    video: { facingMode: "user", width: { ideal: 1280 }, height: { ideal: 720 } },
    audio: false,
  });
  video.srcObject = stream;
  await video.play();
  return stream;
}

export function closeCamera(video) {
  for (const track of video.srcObject?.getTracks() ?? []) {
    track.stop();
  }
  video.srcObject = null;
}

/** One frame as JPEG, at most `width` pixels wide (what the service needs; the camera's full size would only cost upload). */
export function grabJpeg(video, width = 640, quality = 0.9) {
  const scale = Math.min(1, width / video.videoWidth);
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(video.videoWidth * scale);
  canvas.height = Math.round(video.videoHeight * scale);
  canvas.getContext("2d").drawImage(video, 0, 0, canvas.width, canvas.height);
  return new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", quality));
}

/**
 * The cheap in-page hint, on a 96 px wide copy of the centre of the picture (where the oval is): too dark, too bright, or
 * flat (a covered lens). It cannot see whether a face is there, how large or how centred: the service's quality check on
 * the burst answers that, and the decision screen says so in words.
 */
export function lightingHint(video) {
  if (!video.videoWidth) {
    return "Waiting for the camera…";
  }
  const canvas = lightingHint.canvas ??= document.createElement("canvas");
  canvas.width = 96;
  canvas.height = 96;
  const context = canvas.getContext("2d", { willReadFrequently: true });
  const side = Math.min(video.videoWidth, video.videoHeight) * 0.6;
  context.drawImage(video, (video.videoWidth - side) / 2, (video.videoHeight - side) / 2, side, side, 0, 0, 96, 96);
  const pixels = context.getImageData(0, 0, 96, 96).data;
  let sum = 0;
  let squares = 0;
  for (let i = 0; i < pixels.length; i += 4) {
    const luma = 0.299 * pixels[i] + 0.587 * pixels[i + 1] + 0.114 * pixels[i + 2];
    sum += luma;
    squares += luma * luma;
  }
  const count = pixels.length / 4;
  const mean = sum / count;
  const spread = Math.sqrt(Math.max(0, squares / count - mean * mean));
  if (spread < 8) {
    return "The camera sees nothing: is the lens covered?";
  }
  if (mean < 50) {
    return "Too dark: face the light or move to a brighter spot.";
  }
  if (mean > 210) {
    return "Too bright: move away from the light behind or above you.";
  }
  return "Good light. Place your face inside the oval.";
}

let audioContext;

/** A short beep and the prompt spoken, when the operator turned audible cues on. */
export function cue(text) {
  if (!audioCues.get()) {
    return;
  }
  audioContext ??= new AudioContext();
  const oscillator = audioContext.createOscillator();
  const gain = audioContext.createGain();
  oscillator.frequency.value = 880;
  gain.gain.value = 0.2;
  oscillator.connect(gain).connect(audioContext.destination);
  oscillator.start();
  oscillator.stop(audioContext.currentTime + 0.15);
  if ("speechSynthesis" in window) {
    speechSynthesis.cancel();
    speechSynthesis.speak(new SpeechSynthesisUtterance(text));
  }
}

const qualityWords = {
  too_small: "The face is too small: come closer to the camera.",
  too_blurry: "The picture is blurred: hold still.",
  too_dark: "The picture is too dark.",
  too_bright: "The picture is too bright.",
  exposure_clipped: "The lighting is too harsh (parts of the face are burnt out or black).",
  pose_too_large: "The head is turned or tilted too far: look straight at the camera.",
  face_cut_off: "Part of the face is outside the picture.",
};

export const qualityIssue = (issue) => qualityWords[issue] ?? `Quality issue: ${issue}.`;

const problemWords = {
  network_error: "The service cannot be reached.",
  api_key_missing: "No operator key is set: ask a member of staff.",
  api_key_invalid: "The operator key is not valid (unknown, revoked or expired): ask a member of staff.",
  scope_forbidden: "The operator key is not allowed to do this: ask a member of staff.",
  rate_limited: "Too many requests from this kiosk: wait a minute and try again.",
  subject_not_found: "This customer ID is not enrolled.",
  invalid_subject_id: "This customer ID is not valid (letters, digits and . _ : - only).",
  subject_locked: "Too many failed attempts for this customer: try again later or ask a member of staff.",
  no_face: "No face was seen.",
  multiple_faces: "More than one face was seen: only the customer should be in front of the camera.",
  face_too_small: "The face is too small: come closer to the camera.",
  liveness_failed: "The photo did not pass the liveness check (it may be a photo of a photo or of a screen).",
  quality_too_low: "The photo's quality is too low for enrollment.",
  face_mismatch: "This face does not match the customer already enrolled under this ID.",
  too_many_templates: "This customer already has the most photos allowed: replace them instead.",
  challenge_expired: "That took too long: please start again.",
  challenge_used: "This challenge was already used: please start again.",
  reenrollment_required: "This customer must be enrolled again (the service's face model changed).",
  not_ready: "The service is still starting: try again in a moment.",
  overloaded: "The service is busy: try again in a moment.",
};

/** A problem+json answer in plain words, with its code for staff. */
export function problemText(result) {
  const code = result.body?.code ?? `http_${result.status}`;
  return { text: problemWords[code] ?? result.body?.detail ?? result.body?.title ?? "Something went wrong.", code };
}

/** Wires a key form (shared by both pages): saving the key runs `next`. */
export function wireKeyForm(next) {
  const form = document.getElementById("key-form");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const input = document.getElementById("api-key");
    if (!input.value.trim()) {
      input.focus();
      return;
    }
    operatorKey.set(input.value);
    input.value = "";
    next();
  });
  for (const button of document.querySelectorAll("[data-action=change-key]")) {
    button.addEventListener("click", () => {
      operatorKey.clear();
      showScreen("key");
    });
  }
}
