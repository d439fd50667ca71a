#!/usr/bin/env python3
"""Reference numbers for entry-core's correctness tests, from onnxruntime + OpenCV.

Run once (pip install onnxruntime opencv-python-headless numpy), commit only the small JSON it writes:
    python3 scripts/reference/make_reference.py > crates/entry-core/tests/fixtures/reference.json

1. Per model: outputs for a deterministic synthetic input that the Rust test rebuilds bit for bit
   (x[i] = offset + amplitude * sin(0.37 * i)), so tract and onnxruntime see identical tensors.
2. The whole pipeline of ../shared/MODELS.md on one real photo: box, five points, embedding, liveness.
"""
import json
import math
import os
import sys

import cv2
import numpy as np
import onnxruntime as ort

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODELS = os.environ.get("ENTRY_MODELS_DIR", os.path.join(ROOT, ".cache/models"))
FACES = os.environ.get("ENTRY_FACES_DIR", os.path.join(ROOT, "../shared/faces"))
PHOTO = "identities/deepface/person02/img12.jpg"
MANIFEST = json.load(open(os.path.join(ROOT, "models/manifest.json")))


def session(role):
    return ort.InferenceSession(os.path.join(MODELS, MANIFEST[role]["file"]), providers=["CPUExecutionProvider"])


def synthetic(shape, offset, amplitude):
    n = int(np.prod(shape))
    i = np.arange(n, dtype=np.float64)
    return (offset + amplitude * np.sin(0.37 * i)).astype(np.float32).reshape(shape)


def summary(values):
    v = np.asarray(values, dtype=np.float64).ravel()
    return {"len": int(v.size), "head": [float(x) for x in v[:16]], "sum": float(v.sum()), "l2": float(np.linalg.norm(v))}


def model_references():
    out = {}
    for role, (offset, amplitude) in {
        "detector": (0.0, 0.9), "landmarks": (0.5, 0.4), "embedder": (0.0, 0.9), "liveness": (127.0, 100.0),
    }.items():
        spec = MANIFEST[role]["input"]
        channels = 1 if spec["channels"] == "grey" else 3
        shape = (1, channels, spec["height"], spec["width"])
        s = session(role)
        outputs = s.run(None, {s.get_inputs()[0].name: synthetic(shape, offset, amplitude)})
        out[role] = {"offset": offset, "amplitude": amplitude, "outputs": [summary(o) for o in outputs]}
    return out


def pipeline_reference(photo=PHOTO):
    bgr = cv2.imread(os.path.join(FACES, photo), cv2.IMREAD_COLOR)
    h, w = bgr.shape[:2]
    rgb = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
    det = session("detector")
    x = (cv2.resize(rgb, (320, 240)).astype(np.float32) - 127.0) / 128.0
    scores, boxes = det.run(None, {det.get_inputs()[0].name: x.transpose(2, 0, 1)[None]})
    keep = scores[0, :, 1] >= 0.65
    cand = sorted(zip(scores[0, keep, 1], boxes[0, keep] * [w, h, w, h]), key=lambda c: -c[0])
    kept = []
    for s, b in cand:
        if all(iou(b, k) <= 0.4 for _, k in kept):
            kept.append((s, b))
    score, box = max(kept, key=lambda c: (c[1][2] - c[1][0]) * (c[1][3] - c[1][1]))
    cx, cy, side = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2, box[3] - box[1]
    x1, y1 = max(0, cx - side / 2), max(0, cy - side / 2)
    x2, y2 = min(w, cx + side / 2), min(h, cy + side / 2)
    lm_sess = session("landmarks")
    crop = bgr[int(round(y1)):int(round(y2)), int(round(x1)):int(round(x2))]
    grey = cv2.cvtColor(cv2.resize(crop, (64, 64)), cv2.COLOR_BGR2GRAY).astype(np.float32) / 256.0
    lm = lm_sess.run(None, {lm_sess.get_inputs()[0].name: grey[None, None]})[0].reshape(68, 2)
    pts = lm * [x2 - x1, y2 - y1] + [x1, y1]
    five = np.array([pts[[37, 38, 40, 41]].mean(0), pts[[43, 44, 46, 47]].mean(0), pts[30],
                     pts[[48, 60]].mean(0), pts[[54, 64]].mean(0)], dtype=np.float32)
    template = np.array(MANIFEST["embedder"]["template"], dtype=np.float32)
    m = umeyama(five, template)
    aligned = cv2.warpAffine(bgr, m, (112, 112), borderValue=0)
    emb_sess = session("embedder")
    e = emb_sess.run(None, {emb_sess.get_inputs()[0].name: ((aligned.astype(np.float32) - 127) / 128).transpose(2, 0, 1)[None]})[0][0]
    e = e / np.linalg.norm(e)
    live_sess = session("liveness")
    ls = side * 2.7
    lx1, ly1 = cx - ls / 2, cy - ls / 2
    lx1, ly1 = min(max(0, lx1), max(0, w - ls)), min(max(0, ly1), max(0, h - ls))
    lx2, ly2 = min(w, lx1 + ls), min(h, ly1 + ls)
    lcrop = cv2.resize(bgr[int(ly1):int(ly2), int(lx1):int(lx2)], (128, 128)).astype(np.float32)
    logits = live_sess.run(None, {live_sess.get_inputs()[0].name: lcrop.transpose(2, 0, 1)[None]})[0][0]
    p = np.exp(logits - logits.max())
    return {
        "photo": photo,
        "box": [float(v) for v in box], "score": float(score),
        "five_points": five.tolist(),
        "embedding": [float(v) for v in e],
        "live_probability": float(p[0] / p.sum()),
    }


def iou(a, b):
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def umeyama(src, dst):
    """Least-squares similarity transform (rotation, uniform scale, translation)."""
    sm, dm = src.mean(0), dst.mean(0)
    sc, dc = src - sm, dst - dm
    cov = dc.T @ sc / len(src)
    u, d, vt = np.linalg.svd(cov)
    s = np.eye(2)
    if np.linalg.det(u) * np.linalg.det(vt) < 0:
        s[1, 1] = -1
    r = u @ s @ vt
    scale = np.trace(np.diag(d) @ s) / sc.var(0).sum()
    t = dm - scale * r @ sm
    return np.hstack([scale * r, t[:, None]]).astype(np.float32)


if __name__ == "__main__":
    json.dump({"generated_by": "scripts/reference/make_reference.py", "onnxruntime": ort.__version__,
               "opencv": cv2.__version__, "models": model_references(), "pipeline": pipeline_reference()},
              sys.stdout, indent=1)
    print()
