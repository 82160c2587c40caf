// Onboarding: a photo from the camera or a file → POST /v1/enroll → what was enrolled and the photo's quality report.
import { callApi, closeCamera, grabJpeg, openCamera, operatorKey, problemText, qualityIssue, showScreen, wireKeyForm } from "./common.js";

const video = document.getElementById("camera");
const preview = document.getElementById("preview");
const photoState = document.getElementById("photo-state");
const enrollButton = document.getElementById("enroll");
let photo = null;

async function start() {
  if (!operatorKey.get()) {
    showScreen("key");
    return;
  }
  showScreen("photo");
  setPhoto(null, "Take a photo with the camera or upload one.");
  try {
    await openCamera(video);
  } catch {
    document.getElementById("capture").disabled = true;
    photoState.textContent = "No camera: upload a photo instead.";
  }
}

function setPhoto(blob, text) {
  photo = blob;
  enrollButton.disabled = blob === null;
  photoState.textContent = text;
  if (preview.src) {
    URL.revokeObjectURL(preview.src);
  }
  preview.hidden = blob === null;
  document.getElementById("capture").textContent = blob ? "Retake" : "Take photo";
  video.hidden = blob !== null;
  if (blob) {
    preview.src = URL.createObjectURL(blob);
  } else {
    preview.removeAttribute("src");
  }
}

const rows = [
  ["detectionScore", "Face detection confidence", 3],
  ["faceWidth", "Face width (px)", 0],
  ["interEyeDistance", "Distance between the eyes (px)", 0],
  ["sharpness", "Sharpness", 3],
  ["brightness", "Brightness", 0],
  ["yaw", "Head turned (°)", 1],
  ["pitch", "Head tilted up/down (°)", 1],
  ["roll", "Head tilted sideways (°)", 1],
  ["livenessScore", "Liveness", 3],
];

function showReport(title, findings, quality) {
  document.getElementById("outcome").textContent = title;
  const list = document.getElementById("findings");
  list.replaceChildren(...findings.map((line) => Object.assign(document.createElement("li"), { textContent: line })));
  const table = document.getElementById("quality");
  table.hidden = !quality;
  if (quality) {
    table.tBodies[0].replaceChildren(...rows.map(([field, label, digits]) => {
      const row = document.createElement("tr");
      row.append(
        Object.assign(document.createElement("th"), { scope: "row", textContent: label }),
        Object.assign(document.createElement("td"), { textContent: Number(quality[field]).toFixed(digits) }));
      return row;
    }));
  }
  closeCamera(video);
  showScreen("report");
}

async function enroll(event) {
  event.preventDefault();
  const subjectId = document.getElementById("customer-id").value.trim();
  if (!photo || !subjectId) {
    return;
  }
  enrollButton.disabled = true;
  photoState.textContent = "Enrolling…";
  const form = new FormData();
  form.append("subjectId", subjectId);
  form.append("image", photo, "photo.jpg");
  const replace = document.getElementById("replace").checked ? "?replace=true" : "";
  const result = await callApi(`/v1/enroll${replace}`, { form });
  if (result.ok) {
    const { subject, templates } = result.body;
    showReport("Enrolled", [
      `Customer ${subject.subjectId} now has ${subject.templateCount} enrolled photo${subject.templateCount === 1 ? "" : "s"}.`,
      "The photo shows one usable, live face.",
    ], templates[0]?.quality);
  } else {
    const { text, code } = problemText(result);
    const issues = (result.body?.issues ?? []).map(qualityIssue);
    showReport("Not enrolled", [text, ...issues, `(${code})`], null);
  }
}

wireKeyForm(start);
const captureButton = document.getElementById("capture");
captureButton.addEventListener("click", async () => {
  if (photo) {
    setPhoto(null, "Take a photo with the camera or upload one.");
  } else {
    setPhoto(await grabJpeg(video, 1280, 0.92), "Photo taken. Enroll it, or retake it.");
  }
});
document.getElementById("choose").addEventListener("click", () => document.getElementById("upload").click());
document.getElementById("upload").addEventListener("change", (event) => {
  const file = event.target.files[0];
  if (file) {
    setPhoto(file, `Photo ${file.name} chosen. Enroll it, or choose another.`);
  }
});
document.getElementById("enroll-form").addEventListener("submit", enroll);
document.getElementById("again").addEventListener("click", () => {
  document.getElementById("customer-id").value = "";
  start();
});
start();
