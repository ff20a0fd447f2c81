"""The card reader's networks in onnxruntime, on the inputs the Rust bench wrote: the same
models on the same tensors, median of 3 runs each after a warm-up, 2 intra-op threads.
Usage: bench-ocr.py TENSOR_DIR MODELS_DIR; prints `det_ms … rec_ms …` (totals)."""

import glob
import os
import statistics
import sys
import time

import numpy as np
import onnxruntime as ort


def session(path):
    so = ort.SessionOptions()
    so.intra_op_num_threads = 2
    so.inter_op_num_threads = 1
    return ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])


def load(path):
    shape = tuple(int(v) for v in open(path[: -len(".f32")] + ".shape").read().strip("[]\n").split(","))
    return np.fromfile(path, dtype="<f4").reshape(shape)


def timed(sess, x):
    feed = {sess.get_inputs()[0].name: x}
    sess.run(None, feed)
    runs = []
    for _ in range(3):
        start = time.perf_counter()
        sess.run(None, feed)
        runs.append((time.perf_counter() - start) * 1e3)
    return statistics.median(runs)


def main():
    tensors, models = sys.argv[1], sys.argv[2]
    det = session(os.path.join(models, "det.onnx"))
    rec = session(os.path.join(models, "rec.onnx"))
    det_ms = sum(timed(det, load(p)) for p in sorted(glob.glob(os.path.join(tensors, "det-*.f32"))))
    rec_ms = sum(timed(rec, load(p)) for p in sorted(glob.glob(os.path.join(tensors, "rec-*.f32"))))
    print(f"det_ms {det_ms:.2f} rec_ms {rec_ms:.2f} (onnxruntime {ort.__version__})")


main()
