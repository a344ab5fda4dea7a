"""How good a guess shared.region_points is: leave each GeoNames place out in turn, put a point
where it stands, and see whether the nearest other place names its regency.

    .venv/bin/python bench/region_points.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from shared.region_points import MAX_KM, load_places, nearest_place  # noqa: E402


def main() -> None:
    places = load_places()
    points = guessed = right = same_province = 0
    for index, place in enumerate(places):
        if not place.regency_code:
            continue
        others = places[:index] + places[index + 1 :]
        found = nearest_place(place.latitude, place.longitude, others)
        if found is None:
            continue  # no other place within MAX_KM: no guess, as for a point out at sea
        points += 1
        guess = found[0].regency_code
        if guess:
            guessed += 1
            right += guess == place.regency_code
            same_province += guess.split(".")[0] == place.regency_code.split(".")[0]
    print(
        f"{points} places with another within {MAX_KM:g} km; {guessed} guessed; "
        f"right regency {right} ({right / guessed:.1%}), right province "
        f"{same_province} ({same_province / guessed:.1%})"
    )


if __name__ == "__main__":
    main()
