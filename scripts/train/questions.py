"""Simple questions with correct answers: colors, animals, opposites, counting, small arithmetic,
shapes, days, seasons, rhymes. Each generator returns (question, answer)."""

from lexicon import (
    ANIMAL_SIZE, ANIMALS, BODY, CAN_FLY, CAN_SWIM, COLOR_FACTS, COLOR_MIX, DAYS, GIRL_NAMES, BOY_NAMES,
    MONTHS, OPPOSITES, RHYMES, SEASONS, SHAPES, SHARE_ITEMS, WEATHER_WEAR,
)
from text import a_an, cap, join_list, plural


def the(thing):
    return "the" if thing in ("sun", "sky", "ocean", "snow", "grass", "milk", "corn", "coal", "chocolate") else a_an(thing)


def color_question(rng):
    thing = rng.choice(sorted(COLOR_FACTS))
    color, extra = COLOR_FACTS[thing]
    art = the(thing)
    many = plural(thing) if art != "the" else None
    q = rng.choice([f"What color is {art} {thing}?", f"What colour is {art} {thing}?", f"What is the color of {art} {thing}?",
                    f"Tell me the color of {art} {thing}.", f"Which color is {art} {thing}?"]
                   + ([f"What color are {many}?"] if many else []))
    a = rng.choice([f"{cap(art)} {thing} is {color}.", f"{cap(art)} {thing} is {color}. {extra}"]
                   + ([f"{cap(many)} are {color}. {extra}"] if many else []))
    return q, a


def sound_question(rng):
    animal = rng.choice(sorted(a for a in ANIMALS if ANIMALS[a]["sound"]))
    sound = ANIMALS[animal]["sound"]
    q = rng.choice([f"What does {a_an(animal)} {animal} say?", f"What sound does {a_an(animal)} {animal} make?",
                    f"What do {plural(animal)} say?", f"How does {a_an(animal)} {animal} sound?"])
    a = rng.choice([f"{cap(a_an(animal))} {animal} says \"{sound}\".", f"{cap(plural(animal))} say \"{sound}\"!",
                    f"{cap(a_an(animal))} {animal} says \"{sound}, {sound}\"."])
    return q, a


# Animals the fact questions ask about (a core set, so each fact is seen often enough to learn).
FACT_ANIMALS = ["cat", "dog", "cow", "duck", "sheep", "pig", "horse", "owl", "frog", "lion", "bee", "mouse",
                "chicken", "bear", "rabbit", "fish", "spider", "bird"]


def animal_fact_question(rng):
    animal = rng.choice([a for a in FACT_ANIMALS if a in ANIMALS])
    info = ANIMALS[animal]
    kind = rng.choice([0, 0, 1, 2, 3, 4, 5])
    an = f"{a_an(animal)} {animal}"
    if kind == 0:
        n = info["legs"]
        q = rng.choice([f"How many legs does {an} have?", f"How many legs do {plural(animal)} have?"])
        return q, (f"{cap(an)} has {n} legs." if n else f"{cap(an)} has no legs.")
    if kind == 1:
        q = rng.choice([f"Where does {an} live?", f"Where do {plural(animal)} live?"])
        return q, f"{cap(an)} lives in {info['home']}."
    if kind == 2:
        q = rng.choice([f"What does {an} eat?", f"What do {plural(animal)} eat?"])
        return q, f"{cap(plural(animal))} eat {info['food']}."
    if kind == 3:
        q = rng.choice([f"What is a baby {animal} called?", f"What do you call a baby {animal}?"])
        return q, f"A baby {animal} is called {a_an(info['baby'])} {info['baby']}."
    if kind == 4:
        fly = animal in CAN_FLY
        q = f"Can {plural(animal)} fly?"
        return q, (f"Yes, {plural(animal)} can fly." if fly else f"No, {plural(animal)} can not fly. {cap(an)} {info['moves']}.")
    swim = animal in CAN_SWIM
    q = f"Can {plural(animal)} swim?"
    return q, (f"Yes, {plural(animal)} can swim." if swim else f"No, {plural(animal)} do not swim. {cap(an)} {info['moves']}.")


def bigger_question(rng):
    while True:
        x, y = rng.sample(sorted(ANIMAL_SIZE), 2)
        if abs(ANIMAL_SIZE[x] - ANIMAL_SIZE[y]) >= 3:
            break
    big, small = (x, y) if ANIMAL_SIZE[x] > ANIMAL_SIZE[y] else (y, x)
    if rng.random() < 0.5:
        q = rng.choice([f"Which is bigger, {a_an(x)} {x} or {a_an(y)} {y}?", f"Is {a_an(x)} {x} bigger than {a_an(y)} {y}?"])
        if q.startswith("Is"):
            a = f"Yes, {a_an(x)} {x} is bigger than {a_an(y)} {y}." if x == big else f"No, {a_an(x)} {x} is smaller than {a_an(y)} {y}."
        else:
            a = f"{cap(a_an(big))} {big} is bigger than {a_an(small)} {small}."
        return q, a
    q = f"Which is smaller, {a_an(x)} {x} or {a_an(y)} {y}?"
    return q, f"{cap(a_an(small))} {small} is smaller than {a_an(big)} {big}."


def opposite_question(rng):
    pair = rng.choice(OPPOSITES)
    word, opp = pair if rng.random() < 0.5 else (pair[1], pair[0])
    q = rng.choice([f"What is the opposite of {word}?", f"What's the opposite of \"{word}\"?", f"Opposite of {word}?",
                    f"Tell me the opposite of {word}."])
    a = rng.choice([f"The opposite of {word} is {opp}.", f"The opposite of \"{word}\" is \"{opp}\"."])
    return q, a


def add_question(rng):
    a, b = rng.randint(0, 9), rng.randint(0, 9)
    s = a + b
    q = rng.choice([f"What is {a} + {b}?", f"What is {a} plus {b}?", f"{a} + {b} = ?", f"How much is {a} and {b}?",
                    f"Can you add {a} and {b}?", f"what's {a}+{b}"])
    ans = rng.choice([f"{a} + {b} = {s}.", f"{a} plus {b} is {s}.", f"The answer is {s}. {a} + {b} = {s}."])
    return q, ans


def sub_question(rng):
    a = rng.randint(1, 15)
    b = rng.randint(0, min(a, 9))
    d = a - b
    q = rng.choice([f"What is {a} - {b}?", f"What is {a} minus {b}?", f"{a} - {b} = ?", f"Take {b} away from {a}.",
                    f"what's {a}-{b}"])
    ans = rng.choice([f"{a} - {b} = {d}.", f"{a} minus {b} is {d}.", f"The answer is {d}. {a} - {b} = {d}."])
    return q, ans


def word_problem(rng):
    name = rng.choice(GIRL_NAMES + BOY_NAMES)
    he = "she" if name in GIRL_NAMES else "he"
    item = rng.choice(SHARE_ITEMS + ["ball", "book", "flower", "car", "egg", "shell"])
    if rng.random() < 0.5:
        a, b = rng.randint(1, 9), rng.randint(1, 9)
        q = rng.choice([f"{name} has {a} {plural(item, a)}. {cap(he)} gets {b} more. How many {plural(item)} does {name} have now?",
                        f"{name} had {a} {plural(item, a)} and found {b} more. How many {plural(item)} does {name} have?"])
        return q, f"{name} has {a + b} {plural(item, a + b)} now, because {a} + {b} = {a + b}."
    a = rng.randint(2, 12)
    b = rng.randint(1, a)
    q = rng.choice([f"{name} has {a} {plural(item, a)}. {cap(he)} gives away {b}. How many {plural(item)} are left?",
                    f"{name} had {a} {plural(item, a)} and lost {b}. How many {plural(item)} does {he} have now?"])
    return q, f"{cap(he)} has {a - b} {plural(item, a - b)} left, because {a} - {b} = {a - b}."


def count_question(rng):
    kind = rng.randrange(4)
    if kind == 0:
        start = rng.randint(1, 5)
        end = start + rng.randint(2, 9)
        q = rng.choice([f"Count from {start} to {end}.", f"Can you count from {start} to {end}?", f"Count to {end}."
                        if start == 1 else f"Please count from {start} to {end}."])
        return q, ", ".join(str(i) for i in range(start, end + 1)) + "."
    if kind == 1:
        n = rng.randint(0, 19)
        if rng.random() < 0.5:
            return rng.choice([f"What number comes after {n}?", f"What comes after {n}?"]), f"{n + 1} comes after {n}."
        n += 1
        return rng.choice([f"What number comes before {n}?", f"What comes before {n}?"]), f"{n - 1} comes before {n}."
    if kind == 2:
        n = rng.randint(2, 6)
        things = rng.sample(sorted(ANIMALS), n)
        q = rng.choice([f"How many animals are in this list: {', '.join(things)}?", f"Count the animals: {', '.join(things)}."])
        return q, f"There are {n} animals: {join_list(things)}."
    a, b = rng.sample(range(0, 21), 2)
    q = rng.choice([f"Which is bigger, {a} or {b}?", f"Which number is larger: {a} or {b}?"])
    return q, f"{max(a, b)} is bigger than {min(a, b)}."


def shape_question(rng):
    shape = rng.choice(sorted(SHAPES) + ["circle"])
    q = rng.choice([f"How many sides does a {shape} have?", f"How many corners does a {shape} have?"])
    if shape == "circle":
        return q, "A circle has no sides and no corners. It is round."
    part = "sides" if "sides" in q else "corners"
    return q, f"A {shape} has {SHAPES[shape]} {part}."


def day_question(rng):
    kind = rng.randrange(4)
    if kind == 0:
        i = rng.randrange(7)
        return f"What day comes after {DAYS[i]}?", f"{DAYS[(i + 1) % 7]} comes after {DAYS[i]}."
    if kind == 1:
        i = rng.randrange(7)
        return f"What day comes before {DAYS[i]}?", f"{DAYS[(i - 1) % 7]} comes before {DAYS[i]}."
    if kind == 2:
        return rng.choice(["How many days are in a week?", "How many days does a week have?"]), \
            "There are 7 days in a week: " + join_list(DAYS) + "."
    i = rng.randrange(12)
    return f"What month comes after {MONTHS[i]}?", f"{MONTHS[(i + 1) % 12]} comes after {MONTHS[i]}."


SEASON_CLUES = {
    "winter": ["In which season does it snow?", "Which season is the coldest?"],
    "spring": ["In which season do flowers start to grow?", "In which season are baby animals born?"],
    "summer": ["Which season is the hottest?", "In which season are the days the longest?"],
    "fall": ["In which season do leaves fall from the trees?", "In which season do the leaves turn orange?"],
}


def season_question(rng):
    season = rng.choice(sorted(SEASONS))
    if rng.random() < 0.5:
        return rng.choice([f"What happens in {season}?", f"What is {season} like?"]), f"In {season}, {SEASONS[season]}."
    return rng.choice(SEASON_CLUES[season]), rng.choice([f"That is {season}.", f"In {season}, {SEASONS[season]}."])


def mix_question(rng):
    (c1, c2), out = rng.choice(sorted(COLOR_MIX.items()))
    if rng.random() < 0.5:
        c1, c2 = c2, c1
    q = rng.choice([f"What color do you get if you mix {c1} and {c2}?", f"What happens when you mix {c1} and {c2}?"])
    return q, f"If you mix {c1} and {c2}, you get {out}."


def rhyme_question(rng):
    group = rng.choice(RHYMES)
    word = rng.choice(group)
    others = [w for w in group if w != word]
    q = rng.choice([f"What rhymes with {word}?", f"Tell me a word that rhymes with {word}.", f"Give me words that rhyme with {word}."])
    quoted = [f'"{w}"' for w in others]
    return q, f"\"{cap(word)}\" rhymes with {join_list(quoted)}."


def body_question(rng):
    verb = rng.choice(sorted(BODY))
    q = rng.choice([f"What do we use to {verb}?", f"What do you {verb} with?"])
    return q, f"We use our {BODY[verb]} to {verb}."


def weather_question(rng):
    w = rng.choice(sorted(WEATHER_WEAR))
    return f"What should I wear when it {w}?", f"When it {w}, you can wear {WEATHER_WEAR[w]}."


def yes_no_question(rng):
    facts = [
        ("Is the sun hot?", "Yes, the sun is very hot."), ("Is snow cold?", "Yes, snow is cold."),
        ("Is ice hot?", "No, ice is cold."), ("Is the sky green?", "No, the sky is blue."),
        ("Is grass green?", "Yes, grass is green."), ("Do fish live in water?", "Yes, fish live in water."),
        ("Can a car fly?", "No, a car can not fly. A car drives on the road."),
        ("Do plants need water?", "Yes, plants need water and sunlight to grow."),
        ("Is a tomato red?", "Yes, a ripe tomato is red."), ("Is the moon out at night?", "Yes, we often see the moon at night."),
        ("Is a banana blue?", "No, a banana is yellow."), ("Can birds sing?", "Yes, many birds can sing."),
        ("Is fire cold?", "No, fire is hot. Do not touch it!"), ("Do cows give milk?", "Yes, cows give milk."),
        ("Is an elephant small?", "No, an elephant is very big."), ("Do bees make honey?", "Yes, bees make honey."),
    ]
    return rng.choice(facts)


GENERATORS = [
    (color_question, 7), (sound_question, 6), (animal_fact_question, 6), (bigger_question, 2),
    (opposite_question, 5), (add_question, 8), (sub_question, 5), (word_problem, 4),
    (count_question, 6), (shape_question, 1), (day_question, 2), (season_question, 1),
    (mix_question, 1), (rhyme_question, 2), (body_question, 1), (weather_question, 1), (yes_no_question, 2),
]


def make_question(rng):
    gens = [g for g, _ in GENERATORS]
    weights = [w for _, w in GENERATORS]
    return rng.choices(gens, weights)[0](rng)
