# End-to-end check that bad options for the network, the softmax and table populations are refused
# cleanly: usage: /usr/bin/python3 check_model_inputs.py SDEGEN "MPIEXEC ... -np" SCRATCH_DIR TEST_DATA_DIR
"""Every combination of a model and a population either runs or is refused before any work.

Each bad run, directly and under mpiexec -np 2, must exit with status 2 within 60 s, print one
message naming the option (and the file, where there is one), and leave no output behind (the
rules of check_bad_input.py). Also: a model on the tiny table runs, parts of a run on a table merge
but not after the table changed, and an option without effect (the network's width for linreg)
gets one warning.
"""
import os
import shlex
import shutil
import sys
import tempfile

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_bad_input as bad  # noqa: E402

FAST = ["--mc.replicates", "4", "--train.steps", "5", "-q"]


def n_of(args):
    """A small training set unless the case sets its own."""
    return [] if "--data.n" in args else ["--data.n", "20"]


def main(argv):
    if len(argv) != 5:
        sys.stderr.write("usage: %s SDEGEN \"MPIEXEC ... -np\" SCRATCH_DIR TEST_DATA_DIR\n" % argv[0])
        return 2
    sdegen, mpiexec, scratch, data = os.path.abspath(argv[1]), shlex.split(argv[2]), argv[3], os.path.abspath(argv[4])
    os.makedirs(scratch, exist_ok=True)
    workdir = tempfile.mkdtemp(prefix="model_inputs_", dir=scratch)
    tiny = os.path.join(data, "tiny_population.csv")
    three = os.path.join(workdir, "three_classes.csv")
    with open(three, "w") as f:
        f.write("a,b,y\n" + "".join("%d,%d,%d\n" % (i, i % 5, i % 3) for i in range(30)))
    real = os.path.join(workdir, "real_labels.csv")
    with open(real, "w") as f:
        f.write("a,y\n" + "".join("%d,%g\n" % (i, i / 4) for i in range(30)))
    notes = os.path.join(workdir, "table.txt")
    shutil.copy(tiny, notes)
    fm = ["--data.source", "fashion-mnist"]
    table = ["--data.source", "table", "--data.labels", "y"]
    cases = [
        ("gaussian-mean on a table", ["--problem.name", "gaussian-mean"] + fm, ["data.source", "gaussian-mean"]),
        ("table without a file", ["--data.source", "table"], ["data.file"]),
        ("table of an unknown format", table + ["--data.file", notes], ["data.file", notes]),
        ("missing table", table + ["--data.file", os.path.join(workdir, "none.csv")], ["none.csv"]),
        ("missing Fashion-MNIST", fm + ["--data.file", os.path.join(workdir, "nowhere")],
         ["dataset-fashion-mnist"]),
        ("logistic on three classes", ["--problem.name", "logistic", "--data.file", three] + table, ["data.classes"]),
        ("linreg on ten classes", ["--problem.name", "linreg"] + fm, ["data.classes", "softmax"]),
        ("unknown class", ["--problem.name", "logistic", "--data.classes", "0 11"] + fm, ["data.classes", "class 11"]),
        ("class list not integers", ["--problem.name", "logistic", "--data.classes", "0 x"] + fm, ["data.classes"]),
        ("pooling that does not divide", ["--problem.name", "logistic", "--data.classes", "0 6", "--data.pool", "3"]
         + fm, ["data.pool"]),
        ("pooling a table", ["--problem.name", "linreg", "--data.file", tiny, "--data.pool", "2"] + table,
         ["data.pool"]),
        ("mlp from the origin", ["--problem.name", "mlp", "--train.init", "0"], ["train.init"]),
        ("mlp binary on real labels", ["--problem.name", "mlp", "--train.init", "1", "--problem.task", "binary",
                                       "--data.file", real] + table, [real]),
        ("closed form for the network", ["--problem.name", "mlp", "--train.init", "1", "--problem.population",
                                         "closed_form"], ["problem.population"]),
        ("closed form on a table", ["--problem.name", "logistic", "--data.file", tiny, "--problem.population",
                                    "closed_form"] + table, ["problem.population"]),
        ("training sets beyond 1e8 numbers", ["--problem.name", "softmax", "--data.n", "200000"] + fm, ["data.n"]),
    ]
    for ranks in (1, 2):
        for label, args, needles in cases:
            output = os.path.join(workdir, "out.h5")
            bad.check_usage_error("%s (np=%d)" % (label, ranks),
                                  bad.launcher(mpiexec, ranks, sdegen) + ["run"] + FAST + n_of(args) + args +
                                  ["-o", output],
                                  workdir, needles, output=output)
    # Good combinations run; an option without effect is named once.
    for problem in ("linreg", "logistic", "softmax", "mlp"):
        bad.check_runs("%s on the tiny table (np=2)" % problem,
                       bad.launcher(mpiexec, 2, sdegen) + ["run", "--problem.name", problem, "--data.file", tiny,
                                                           "--train.init", "1", "--output.overwrite", "-o",
                                                           os.path.join(workdir, "ok.h5")] + FAST + table
                       + ["--data.n", "20"], workdir)
    # Parts of a run on a table merge only while the table is the one they trained on.
    copy = os.path.join(workdir, "copy.csv")
    shutil.copy(tiny, copy)
    parts = [os.path.join(workdir, "part%d.h5" % i) for i in (0, 1)]
    for i, part in enumerate(parts):
        bad.check_runs("part %d on a table" % i, [sdegen, "run", "--problem.name", "linreg logistic", "--data.file", copy,
                                                  "--cells", "%d/2" % i, "--output.overwrite", "-o", part]
                       + FAST + table + ["--data.n", "20"], workdir)
    merged = os.path.join(workdir, "merged.h5")
    bad.check_runs("merge of the parts", [sdegen, "merge", "-o", merged] + parts, workdir)
    os.remove(merged)
    with open(copy, "a") as f:
        f.write("3,1,5.5,1\n")
    bad.check_usage_error("merge after the table changed", [sdegen, "merge", "-o", merged] + parts, workdir,
                          ["another table", "part0.h5"], output=merged)
    lines = bad.check_runs("no-effect warning", bad.launcher(mpiexec, 2, sdegen) +
                           ["run", "--problem.width", "8", "--output.overwrite", "-o", os.path.join(workdir, "w.h5")]
                           + FAST + ["--data.n", "20"], workdir)
    if len([line for line in lines if "problem.width" in line and "no effect" in line]) != 1:
        bad.note_failure("no-effect warning: expected one line naming problem.width, got %r" % lines)
    if bad.failures:
        sys.stderr.write("FAIL: %d problem(s):\n  %s\n" % (len(bad.failures), "\n  ".join(bad.failures)))
        return 1
    shutil.rmtree(workdir)
    print("OK: every bad model or population option is refused cleanly")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
