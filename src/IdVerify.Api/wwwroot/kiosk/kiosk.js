// The kiosk flow: customer id → camera with the oval and a live quality hint → challenge → prompts while a burst is captured
// → POST /v1/verify → the decision in plain words.
import { audioCues, callApi, closeCamera, cue, grabJpeg, lightingHint, openCamera, operatorKey, problemText, qualityIssue, showScreen, wireKeyForm } from "./common.js";

// 8 fps for 2.5 s: 20 frames, the service's default Challenge:MaxFrames, each downscaled to 640 px wide.
const burstFps = 8;
const burstFrames = 20;
// The first frames show the customer still (the service measures turns from the first frame).
const stillFrames = 4;

// Actions are named as the service reads them, in the captured (unmirrored) image: "turn_left" is the nose moving
// toward the image's left edge, which is the customer's own right. The preview is mirrored, so "your right" is also
// the way the customer sees their face move on the screen.
const prompts = {
  turn_left: "Turn your head to your right",
  turn_right: "Turn your head to your left",
  blink: "Blink your eyes",
};

const video = document.getElementById("camera");
const promptLine = document.getElementById("prompt");
const hintLine = document.getElementById("hint");
let subjectId = "";
// Bumped whenever the hint loop must stop (burst, cancel), so an answer still in flight is dropped.
let hintRun = 0;

// About 2 hints a second, each from a 480 px wide preview frame checked by POST /v1/quality (detection and verify's
// quality checks, nothing stored). The loop waits for each answer, so a slow service gets fewer requests, never a queue.
const hintInterval = 500;
const hintWidth = 480;

/** The route's answer in plain words, the most useful fix first. */
function frameHint(quality) {
  const issues = new Set(quality.issues);
  if (!quality.faceFound) return "No face found: look at the camera.";
  if (issues.has("too_small")) return "Move closer.";
  if (issues.has("not_centred") || issues.has("face_cut_off")) return "Centre your face in the oval.";
  if (issues.has("too_dark")) return "More light please.";
  if (issues.has("too_bright") || issues.has("exposure_clipped")) return "Too bright: move away from the light behind or above you.";
  if (issues.has("pose_too_large")) return "Look straight at the camera.";
  if (issues.has("too_blurry")) return "Hold still.";
  return "Face found — ready.";
}

async function runHints(run) {
  while (run === hintRun) {
    const started = performance.now();
    const frame = video.videoWidth ? await grabJpeg(video, hintWidth, 0.8) : null;
    const form = new FormData();
    if (frame) form.append("image", frame, "preview.jpg");
    const answer = frame ? await callApi("/v1/quality", { form }) : { ok: false };
    if (run !== hintRun) return;
    const service = answer.ok || answer.body?.code === "multiple_faces";
    // The in-page lighting check stays as the fallback when the route does not answer (an older service, a rate limit).
    hintLine.textContent = answer.ok ? frameHint(answer.body) : service ? "Only one person in front of the camera, please." : lightingHint(video);
    hintLine.dataset.source = service ? "service" : "page";
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, hintInterval - (performance.now() - started))));
  }
}

function start() {
  showScreen(operatorKey.get() ? "customer" : "key");
}

async function openCameraScreen() {
  showScreen("camera");
  document.getElementById("camera-title").textContent = "Look at the camera";
  promptLine.textContent = "";
  document.getElementById("ready").disabled = false;
  document.getElementById("cancel").disabled = false;
  try {
    await openCamera(video);
  } catch {
    hintLine.textContent = "The camera cannot be opened: ask a member of staff.";
    return;
  }
  hintLine.textContent = lightingHint(video);
  runHints(++hintRun);
}

function stopCamera() {
  hintRun++;
  closeCamera(video);
}

async function runChallenge() {
  // The 2.5 s burst runs to its end: cancelling halfway would send half a burst.
  document.getElementById("ready").disabled = true;
  document.getElementById("cancel").disabled = true;
  hintRun++;
  hintLine.textContent = "Recording: keep your face in the oval and follow the prompt.";
  const challenge = await callApi("/v1/liveness/challenges", { json: { subjectId } });
  if (!challenge.ok) {
    stopCamera();
    showProblem(challenge);
    return;
  }

  const { challengeId, actions } = challenge.body;
  const framesPerAction = Math.floor((burstFrames - stillFrames) / Math.max(1, actions.length));
  const say = (text) => {
    promptLine.textContent = text;
    document.getElementById("camera-title").textContent = text;
    cue(text);
  };

  say("Look straight at the camera");
  const grabs = [];
  for (let i = 0; i < burstFrames; i++) {
    const action = i < stillFrames ? null : actions[Math.min(actions.length - 1, Math.floor((i - stillFrames) / framesPerAction))];
    if (action && (i - stillFrames) % framesPerAction === 0) {
      say(prompts[action] ?? action);
    }
    grabs.push(grabJpeg(video));
    await new Promise((resolve) => setTimeout(resolve, 1000 / burstFps));
  }
  const frames = await Promise.all(grabs);
  stopCamera();
  showScreen("checking");

  const form = new FormData();
  form.append("subjectId", subjectId);
  form.append("challengeId", challengeId);
  frames.forEach((frame, i) => form.append("frame", frame, `frame-${i}.jpg`));
  const result = await callApi("/v1/verify", { form });
  if (result.ok) {
    showDecision(result.body);
  } else {
    showProblem(result);
  }
}

const livenessWords = {
  attack_suspected: "The camera seems to see a photo or a screen, not a live person.",
  insufficient_context: "The face is too close to the camera: step back so your head and shoulders show.",
};

function reasonsFor(decision) {
  const reasons = [];
  const score = `score ${decision.score.toFixed(3)}, needed ${decision.threshold.toFixed(3)}`;
  reasons.push(decision.match
    ? `The face matches the enrolled customer (${score}).`
    : `The face does not match the enrolled customer (${score}).`);

  const challenge = decision.challenge;
  if (decision.liveness.passed) {
    reasons.push(`A live person is in front of the camera (liveness ${decision.liveness.score.toFixed(3)}).`);
  } else if (livenessWords[decision.liveness.reason]) {
    reasons.push(`${livenessWords[decision.liveness.reason]} (liveness ${decision.liveness.score.toFixed(3)}, needed ${decision.liveness.threshold}).`);
  } else if (decision.liveness.reason !== "challenge_failed") {
    reasons.push(`The liveness check failed (liveness ${decision.liveness.score.toFixed(3)}).`);
  }

  if (challenge) {
    const asked = challenge.actionsRequested.map((a) => prompts[a]?.toLowerCase() ?? a).join(", then ");
    if (challenge.passed) {
      reasons.push(`The movements asked for were seen: ${asked}.`);
    } else {
      const checks = challenge.checks;
      if (!checks.actionsInOrder) {
        const missed = challenge.actionsRequested.slice(challenge.actionsObserved.length).map((a) => prompts[a]?.toLowerCase() ?? a);
        reasons.push(`The movements asked for were not seen: ${missed.join(", then ")}.`);
      }
      if (!checks.tracked) {
        reasons.push("The face was not followed through the frames: it left the picture or another face took its place.");
      }
      if (!checks.samePerson) {
        reasons.push("Not every frame facing the camera showed the same person.");
      }
      if (!checks.passiveLiveness) {
        reasons.push(`The frames did not look like a live person (liveness ${challenge.livenessScore.toFixed(3)} over the sharpest frontal frames).`);
      }
      if (!checks.enoughFrames) {
        reasons.push(`Too few frames showed a face (${challenge.framesWithFace} of ${challenge.frames.length}).`);
      }
    }
  }

  if (!decision.quality.passed) {
    reasons.push(...decision.quality.issues.map(qualityIssue));
  }
  return reasons;
}

function showDecision(decision) {
  const verdict = document.getElementById("verdict");
  verdict.textContent = decision.verified ? "Verified" : "Not verified";
  document.body.dataset.verdict = decision.verified ? "verified" : "rejected";
  fillReasons(reasonsFor(decision));
  document.getElementById("decision-id").textContent = decision.decisionId;
  showScreen("decision");
  cue(decision.verified ? "Verified" : "Not verified");
}

function showProblem(result) {
  const { text, code } = problemText(result);
  document.getElementById("verdict").textContent = "Not verified";
  document.body.dataset.verdict = "rejected";
  fillReasons([text]);
  document.getElementById("decision-id").textContent = `none (${code})`;
  showScreen("decision");
}

function fillReasons(lines) {
  const list = document.getElementById("reasons");
  list.replaceChildren(...lines.map((line) => Object.assign(document.createElement("li"), { textContent: line })));
}

wireKeyForm(start);
document.getElementById("customer-form").addEventListener("submit", (event) => {
  event.preventDefault();
  subjectId = document.getElementById("customer-id").value.trim();
  audioCues.set(document.getElementById("audio").checked);
  openCameraScreen();
});
document.getElementById("ready").addEventListener("click", runChallenge);
document.getElementById("cancel").addEventListener("click", () => {
  stopCamera();
  start();
});
document.getElementById("next").addEventListener("click", () => {
  delete document.body.dataset.verdict;
  document.getElementById("customer-id").value = "";
  start();
});
document.getElementById("audio").checked = audioCues.get();
start();
