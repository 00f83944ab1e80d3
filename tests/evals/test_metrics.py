"""The arithmetic the eval numbers rest on, checked on hand-made spans and signals."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from evals.answers import best_threshold, calibration, rates_at
from evals.harness import norm_text, percentile
from evals.legalbench import benchmark_scores, covered, intersection, merge_spans, overlap, union_scores
from evals.process import hit_rank


def test_merge_spans_joins_overlapping_and_touching_and_drops_empty():
    assert merge_spans([(10, 20), (0, 5), (15, 30), (30, 32), (40, 40), (50, 45)]) == [(0, 5), (10, 32)]
    assert merge_spans([]) == []


def test_overlap_and_covered():
    assert overlap((0, 10), (5, 20)) == 5
    assert overlap((0, 10), (10, 20)) == 0  # end-exclusive: touching spans share nothing
    assert overlap((0, 10), (20, 30)) == 0
    assert covered([(0, 10), (5, 15), (20, 25)]) == 20


def test_intersection_merges_each_side_first():
    # Retrieved chunks overlap each other on 8..10; gold is 5..12 and 20..22.
    assert intersection([(0, 10), (8, 16)], [(5, 12), (20, 22)]) == 7
    assert intersection([(0, 100)], [(10, 20), (30, 40), (90, 110)]) == 30


def test_benchmark_scores_match_a_hand_computed_case():
    gold = [("a.txt", 100, 200), ("a.txt", 300, 350)]  # 150 gold chars
    retrieved = [
        ("a.txt", 150, 250),  # 50 relevant of 100
        ("b.txt", 100, 200),  # other file: 0 of 100
        ("a.txt", 300, 400),  # 50 relevant of 100
    ]
    precision, recall = benchmark_scores(retrieved, gold)
    assert precision == pytest.approx(100 / 300)
    assert recall == pytest.approx(100 / 150)


def test_benchmark_form_counts_overlapping_retrieved_spans_twice_union_form_once():
    gold = [("a.txt", 0, 100)]
    retrieved = [("a.txt", 0, 60), ("a.txt", 40, 100)]  # overlap 40..60
    precision, recall = benchmark_scores(retrieved, gold)
    assert precision == pytest.approx(120 / 120)
    assert recall == pytest.approx(120 / 100)  # the benchmark's own formula can pass 1.0 here
    u_precision, u_recall = union_scores(retrieved, gold)
    assert (u_precision, u_recall) == (1.0, 1.0)


def test_union_scores_hand_computed():
    gold = [("a.txt", 0, 50), ("b.txt", 10, 20)]  # 60 gold chars
    retrieved = [("a.txt", 25, 75), ("a.txt", 50, 100), ("b.txt", 0, 10)]  # union: a 25..100 (75), b 0..10 (10)
    u_precision, u_recall = union_scores(retrieved, gold)
    assert u_precision == pytest.approx(25 / 85)
    assert u_recall == pytest.approx(25 / 60)


def test_scores_of_nothing_retrieved_are_zero():
    assert benchmark_scores([], [("a.txt", 0, 10)]) == (0.0, 0.0)
    assert union_scores([], [("a.txt", 0, 10)]) == (0.0, 0.0)


def test_percentile_interpolates_like_numpy():
    assert percentile([1, 2, 3, 4], 50) == pytest.approx(2.5)
    assert percentile([5, 1, 3], 0) == 1 and percentile([5, 1, 3], 100) == 5
    assert percentile([10.0], 95) == 10.0


def test_phrase_hit_is_case_and_whitespace_insensitive_and_needs_the_source():
    results = [
        SimpleNamespace(source="other.md", text="Escalate to the   Incident Commander"),
        SimpleNamespace(source="rb.md", text="Always\nescalate TO the incident\tcommander now"),
    ]
    assert norm_text(" A\n b  C ") == "a b c"
    assert hit_rank(results, "rb.md", "escalate to the Incident Commander") == 2
    assert hit_rank(results, "rb.md", "page the commander") is None


def test_rates_refuse_strictly_below_the_threshold():
    r = rates_at(0.5, answerable=[0.5, 0.6, 0.4], unanswerable=[0.3, 0.5])
    assert r["correct_refusals"] == 1 and r["false_refusals"] == 1
    assert r["false_refusal_rate"] == pytest.approx(1 / 3)


def test_best_threshold_maximises_refusals_under_the_false_refusal_cap():
    answerable = [0.30] + [0.60] * 19 + [0.70] * 20  # 40 questions: one false refusal (2.5%) is allowed
    unanswerable = [0.20, 0.25, 0.40, 0.45, 0.65]
    best = best_threshold(answerable, unanswerable, max_false_refusal=0.05)
    # Refusing everything <= 0.45 costs 1 answerable (0.30) and catches 4 of 5; going past 0.60 costs 19.
    assert best["interval"] == [0.45, 0.60]
    assert best["threshold"] == pytest.approx(0.525)
    assert best["correct_refusals"] == 4 and best["false_refusals"] == 1


def test_best_threshold_with_no_allowed_false_refusal_stops_below_the_lowest_answerable():
    best = best_threshold([0.5, 0.9], [0.1, 0.6], max_false_refusal=0.0)
    assert best["interval"] == [0.1, 0.5]
    assert best["correct_refusals"] == 1 and best["false_refusals"] == 0


def test_calibration_table_includes_current_and_recommended_thresholds():
    cal = calibration([0.6, 0.7, 0.8], [0.2, 0.3], current=0.35)
    thresholds = [row["threshold"] for row in cal["table"]]
    assert 0.35 in thresholds and cal["recommended"]["threshold"] in thresholds
    assert thresholds == sorted(thresholds)
    assert cal["recommended"]["correct_refusal_rate"] == 1.0 and cal["recommended"]["false_refusal_rate"] == 0.0
    assert cal["answerable"]["n"] == 3 and cal["unanswerable"]["max"] == 0.3
