"""Fair teaching-load balancer (phân công giảng dạy công bằng).

Pure package: no Django import, so the management command, the web app's background task and
the benchmark all call the same code. Its modules, in the order a newcomer reads them:

* ``instance`` — the problem: lecturers, sections, the JSON exchange format and its checks,
  and ``evaluate`` (what an assignment achieves, in plain floats);
* ``greedy`` — the spreadsheet baseline, and the local search that improves a solution
  without making either figure worse;
* ``prep`` — the instance in integer units for the solvers, candidates, connected components;
* ``diagnosis`` — why no assignment exists, and what would fix it;
* ``bounds`` — proven lower bounds of max_deviation (LP relaxation, single sections);
* ``model`` — the CP-SAT model of one component, stage by stage;
* ``solve`` — ``balance``: the stages, the time budget, the promise never to be worse than
  greedy;
* ``result`` — what ``balance`` answers, and its explanation in Vietnamese.

Problem
-------
Every section (lớp học phần) goes to exactly one lecturer. ``ρ = total hours / total targets``
(over lecturers with ``target > 0``) is the load ratio everyone would have in a perfectly even
world. Objectives, lexicographically:

1. minimise ``max_deviation = max_i |load_i / target_i − ρ|``;
2. keeping that, minimise ``imbalance = Σ_i (load_i − ρ·target_i)² / target_i``;
3. then maximise the number of honoured ``preferred`` wishes;
4. then, when ``previous_assignment`` is given, minimise the number of changed sections.

Rules that are decisions rather than obvious consequences of the statement:

* ``locked_to`` overrides everything: a section locked to a lecturer who is not in its
  ``eligible`` list, or who has ``target == 0``, is still assigned to that lecturer (the head of
  department decided explicitly). A lock to an unknown lecturer id, or locks whose total
  exceeds the lecturer's ``max_load``, make the instance infeasible.
* Lecturers with ``target == 0`` (on leave) get no unlocked section; they are left out of
  ``ρ``, ``max_deviation`` and ``imbalance``. Hours of sections locked to them still count in
  the total hours used for ``ρ`` (the statement defines ρ over *total* hours).
* Unknown ids in ``eligible``/``preferred`` are ignored.
"""
