"""``realreview simulate``: replay prioritised screening of a labelled CSV and print the metrics.

Pure domain work on a file (no database), so the command calls :func:`realreview.prioritise.simulate`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from realreview.cli.context import fail, write_output
from realreview.prioritise import SimulationResult
from realreview.prioritise import simulate as run_simulation
from realreview.prioritise.plot import recall_curve


def _render(result: SimulationResult) -> None:
    figures = result.metrics()
    typer.echo(f"{result.dataset}: {result.records} records, {result.relevant} relevant")
    typer.echo(f"  WSS@95 {100 * figures['wss@95']:.1f}%  recall@10% {100 * figures['recall@10%']:.1f}%")
    typer.echo(f"  screened to 95%: {figures['screened_to_95%']}  to 100%: {figures['screened_to_100%']}")
    typer.echo(f"  loss {figures['loss']:.3f}  ({result.seconds:.1f} s)")
    target = result.config.stopping
    typer.echo(f"  stopping (target recall {target.target:.0%}, confidence {target.confidence:.0%}):")
    for stop in result.stopping:
        reached = "reached" if stop.reached_target else "MISSED"
        typer.echo(
            f"    {stop.rule}: stopped at {stop.screened}, recall {100 * stop.recall:.1f}% ({reached}; "
            f"assumes {stop.assumes})"
        )


def simulate(
    data: Annotated[
        Path, typer.Argument(help="Labelled CSV: title, abstract (keywords), a 0/1 label column.")
    ],
    label: Annotated[str, typer.Option("--label", help="The label column, e.g. label_included.")],
    prior_included: Annotated[int, typer.Option("--prior-included", help="Relevant prior records.")] = 1,
    prior_excluded: Annotated[int, typer.Option("--prior-excluded", help="Irrelevant prior records.")] = 1,
    seed: Annotated[int, typer.Option("--seed", help="Derives the prior and model seeds.")] = 0,
    prior_seed: Annotated[int | None, typer.Option("--prior-seed", help="Seed of the priors.")] = None,
    model_seed: Annotated[int | None, typer.Option("--model-seed", help="Seed of the model.")] = None,
    json_out: Annotated[Path | None, typer.Option("--json", help="Write the metrics as JSON here.")] = None,
    plot: Annotated[
        Path | None, typer.Option("--plot", help="Write the recall curve (.svg or .png).")
    ] = None,
) -> None:
    """Simulate prioritised screening with known labels: WSS@95, recall@10%, loss, stopping rules."""
    if plot is not None and plot.suffix.lower() not in (".svg", ".png"):
        raise fail(f"{plot}: the plot must end in .svg or .png")
    result = run_simulation(
        data, label=label, prior_included=prior_included, prior_excluded=prior_excluded,
        seed=seed, prior_seed=prior_seed, model_seed=model_seed,
    )  # fmt: skip
    _render(result)
    if json_out is not None:
        write_output(json_out, json.dumps(result.to_json(), indent=2) + "\n")
    if plot is not None:
        stops = {stop.rule: stop.screened for stop in result.stopping}
        write_output(plot, recall_curve(result.labels_in_order, stops=stops, title=result.dataset,
                                        fmt=plot.suffix.lower()[1:]))  # fmt: skip


def register(app: typer.Typer) -> None:
    """Add ``simulate`` to the main app."""
    app.command("simulate")(simulate)
