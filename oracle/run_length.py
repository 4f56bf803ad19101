"""The compact encoding of a list of outcome numbers used by the snapshots."""


def run_length(codes):
    """`3*40 0 2*3`: outcome 3 forty times, then 0 once, then 2 three times."""
    runs = []
    for c in codes:
        if runs and runs[-1][0] == c:
            runs[-1][1] += 1
        else:
            runs.append([c, 1])
    return " ".join(str(c) if n == 1 else f"{c}*{n}" for c, n in runs)
