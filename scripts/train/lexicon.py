"""Word lists and small facts for the procedural corpus (plain ASCII English, checked facts)."""

GIRL_NAMES = [
    "Mia", "Lily", "Anna", "Zoe", "Emma", "Lucy", "Ella", "Ruby", "Nina", "Maya", "Ivy", "Rosa",
    "Sara", "Lena", "Aya", "Grace", "Chloe", "Hana", "Nora", "Amy", "Sofia", "Leah", "Kate", "Jade",
    "Iris", "Alice", "Molly", "Daisy", "Priya", "Lola", "Elsa", "Tara", "Eva", "Julia", "Mina", "Pia",
]
BOY_NAMES = [
    "Tom", "Ben", "Sam", "Leo", "Max", "Jack", "Noah", "Finn", "Omar", "Ravi", "Kai", "Theo",
    "Eli", "Hugo", "Jude", "Liam", "Owen", "Adam", "Luke", "Ryan", "Dan", "Milo", "Oscar", "Ali",
    "Jon", "Arlo", "Felix", "Ezra", "Tim", "Paul", "Nico", "Ivan", "Carl", "Pedro", "Yuki", "Marco",
]
PET_NAMES = [
    "Pip", "Coco", "Biscuit", "Luna", "Pepper", "Sunny", "Rosie", "Bella", "Nutmeg", "Hazel",
    "Toby", "Willow", "Ziggy", "Poppy", "Buttons", "Maple", "Clover", "Juniper", "Peanut", "Muffin",
    "Ginger", "Snowy", "Dot", "Bubbles", "Tiger", "Pebble", "Honey", "Olive", "Fluffy", "Shadow",
    "Bean", "Cookie", "Button", "Whiskers", "Socks", "Sparky", "Berry", "Mango", "Noodle", "Waffle",
]

# animal: sound sentence verb, home, food, legs, baby name, size word, moves
ANIMALS = {
    "cat": dict(sound="meow", home="a cozy house", food="fish", legs=4, baby="kitten", moves="walks and jumps"),
    "dog": dict(sound="woof", home="a house with a yard", food="bones and meat", legs=4, baby="puppy", moves="runs"),
    "cow": dict(sound="moo", home="a farm", food="grass", legs=4, baby="calf", moves="walks"),
    "duck": dict(sound="quack", home="a pond", food="seeds and bugs", legs=2, baby="duckling", moves="swims, walks and flies"),
    "sheep": dict(sound="baa", home="a farm", food="grass", legs=4, baby="lamb", moves="walks"),
    "pig": dict(sound="oink", home="a farm", food="corn and apples", legs=4, baby="piglet", moves="walks"),
    "horse": dict(sound="neigh", home="a barn", food="hay and oats", legs=4, baby="foal", moves="runs fast"),
    "owl": dict(sound="hoot", home="a hole in a tree", food="mice", legs=2, baby="owlet", moves="flies"),
    "frog": dict(sound="ribbit", home="a pond", food="flies", legs=4, baby="tadpole", moves="hops and swims"),
    "lion": dict(sound="roar", home="the grasslands", food="meat", legs=4, baby="cub", moves="runs"),
    "bee": dict(sound="buzz", home="a hive", food="nectar from flowers", legs=6, baby="larva", moves="flies"),
    "mouse": dict(sound="squeak", home="a little hole", food="seeds and cheese", legs=4, baby="pup", moves="runs"),
    "snake": dict(sound="hiss", home="the grass", food="mice and eggs", legs=0, baby="snakelet", moves="slithers"),
    "chicken": dict(sound="cluck", home="a farm", food="seeds and corn", legs=2, baby="chick", moves="walks"),
    "goat": dict(sound="maa", home="a farm", food="grass and leaves", legs=4, baby="kid", moves="climbs and jumps"),
    "bear": dict(sound="growl", home="a cave in the forest", food="berries, fish and honey", legs=4, baby="cub", moves="walks"),
    "donkey": dict(sound="hee-haw", home="a farm", food="hay", legs=4, baby="foal", moves="walks"),
    "wolf": dict(sound="howl", home="the forest", food="meat", legs=4, baby="pup", moves="runs"),
    "rabbit": dict(sound=None, home="a burrow", food="carrots and grass", legs=4, baby="kit", moves="hops"),
    "turtle": dict(sound=None, home="a pond", food="plants and worms", legs=4, baby="hatchling", moves="walks slowly and swims"),
    "fish": dict(sound=None, home="the water", food="tiny plants and bugs", legs=0, baby="fry", moves="swims"),
    "fox": dict(sound="yip", home="a den in the woods", food="mice and berries", legs=4, baby="kit", moves="runs"),
    "squirrel": dict(sound="chatter", home="a tree", food="nuts and seeds", legs=4, baby="kit", moves="climbs and runs"),
    "elephant": dict(sound="trumpet", home="the grasslands", food="grass, leaves and fruit", legs=4, baby="calf", moves="walks"),
    "monkey": dict(sound="ooh ooh ah ah", home="the jungle", food="bananas and fruit", legs=2, baby="baby", moves="climbs and swings"),
    "spider": dict(sound=None, home="a web", food="flies", legs=8, baby="spiderling", moves="crawls"),
    "ant": dict(sound=None, home="an ant hill", food="seeds and crumbs", legs=6, baby="larva", moves="crawls"),
    "butterfly": dict(sound=None, home="a garden", food="nectar from flowers", legs=6, baby="caterpillar", moves="flies"),
    "penguin": dict(sound="squawk", home="the icy south", food="fish", legs=2, baby="chick", moves="waddles and swims"),
    "kangaroo": dict(sound=None, home="the bush in Australia", food="grass", legs=2, baby="joey", moves="hops"),
    "hedgehog": dict(sound="snuffle", home="a pile of leaves", food="bugs and worms", legs=4, baby="hoglet", moves="walks"),
    "crow": dict(sound="caw", home="a nest in a tree", food="seeds and bugs", legs=2, baby="chick", moves="flies"),
}
# Sizes for "which is bigger" (rough body size, only pairs far apart are asked).
ANIMAL_SIZE = {
    "ant": 1, "bee": 1, "spider": 1, "butterfly": 1, "mouse": 2, "frog": 2, "hedgehog": 3, "squirrel": 3,
    "crow": 3, "fish": 3, "rabbit": 4, "duck": 4, "owl": 4, "chicken": 4, "cat": 5, "turtle": 5,
    "fox": 6, "snake": 6, "penguin": 6, "monkey": 7, "dog": 7, "goat": 8, "sheep": 8, "pig": 9, "wolf": 8,
    "kangaroo": 10, "donkey": 11, "lion": 12, "bear": 13, "cow": 13, "horse": 13, "elephant": 16,
}
CAN_FLY = {"duck", "owl", "bee", "butterfly", "crow"}
CAN_SWIM = {"duck", "frog", "turtle", "fish", "penguin", "dog", "bear", "elephant", "snake", "horse"}
STORY_ANIMALS = [
    "cat", "dog", "rabbit", "mouse", "duck", "bear", "fox", "owl", "squirrel", "turtle", "pig", "frog",
    "hedgehog", "lamb", "puppy", "kitten", "goat", "penguin", "monkey", "elephant", "lion", "horse",
]

# thing -> (color, extra sentence)
COLOR_FACTS = {
    "banana": ("yellow", "Bananas are sweet and soft."),
    "lemon": ("yellow", "Lemons taste sour."),
    "sun": ("yellow", "The sun is bright and warm."),
    "corn": ("yellow", "Corn grows on tall plants."),
    "sky": ("blue", "On a sunny day the sky is bright blue."),
    "ocean": ("blue", "The ocean is big and deep."),
    "blueberry": ("blue", "Blueberries are small and sweet."),
    "grass": ("green", "Grass grows in fields and gardens."),
    "leaf": ("green", "In the fall, many leaves turn red and orange."),
    "frog": ("green", "Many frogs are green so they can hide in the grass."),
    "pea": ("green", "Peas are small and round."),
    "cucumber": ("green", "Cucumbers are cool and crunchy."),
    "snow": ("white", "Snow is cold and soft."),
    "milk": ("white", "Milk comes from cows."),
    "cloud": ("white", "Rain clouds can be gray."),
    "polar bear": ("white", "Polar bears live where it is cold and icy."),
    "coal": ("black", "Coal is hard and dusty."),
    "crow": ("black", "Crows are clever birds."),
    "strawberry": ("red", "Strawberries are sweet and juicy."),
    "tomato": ("red", "Tomatoes grow on green plants."),
    "cherry": ("red", "Cherries have a small seed inside."),
    "fire truck": ("red", "Fire trucks help put out fires."),
    "carrot": ("orange", "Carrots grow under the ground."),
    "pumpkin": ("orange", "Pumpkins are big and round."),
    "orange": ("orange", "An orange is a juicy fruit."),
    "grape": ("purple", "Grapes can also be green."),
    "eggplant": ("purple", "Eggplants grow on plants in the garden."),
    "chocolate": ("brown", "Chocolate is sweet."),
    "tree trunk": ("brown", "Tree trunks are made of wood."),
    "pig": ("pink", "Pigs like to roll in the mud."),
    "flamingo": ("pink", "Flamingos stand on one leg."),
    "elephant": ("gray", "Elephants are very big."),
    "mouse": ("gray", "Some mice are brown or white."),
}
PLURALS = {
    "banana": "bananas", "lemon": "lemons", "blueberry": "blueberries", "leaf": "leaves", "frog": "frogs",
    "pea": "peas", "cucumber": "cucumbers", "cloud": "clouds", "polar bear": "polar bears", "crow": "crows",
    "strawberry": "strawberries", "tomato": "tomatoes", "cherry": "cherries", "fire truck": "fire trucks",
    "carrot": "carrots", "pumpkin": "pumpkins", "orange": "oranges", "grape": "grapes", "eggplant": "eggplants",
    "tree trunk": "tree trunks", "pig": "pigs", "flamingo": "flamingos", "elephant": "elephants", "mouse": "mice",
    "cat": "cats", "dog": "dogs", "cow": "cows", "duck": "ducks", "sheep": "sheep", "horse": "horses",
    "owl": "owls", "lion": "lions", "bee": "bees", "snake": "snakes", "chicken": "chickens", "goat": "goats",
    "bear": "bears", "donkey": "donkeys", "wolf": "wolves", "rabbit": "rabbits", "turtle": "turtles",
    "fish": "fish", "fox": "foxes", "squirrel": "squirrels", "monkey": "monkeys", "spider": "spiders",
    "ant": "ants", "butterfly": "butterflies", "penguin": "penguins", "kangaroo": "kangaroos",
    "hedgehog": "hedgehogs", "apple": "apples", "cookie": "cookies", "star": "stars", "ball": "balls",
    "book": "books", "flower": "flowers", "car": "cars", "candy": "candies", "crayon": "crayons",
    "egg": "eggs", "shell": "shells", "sock": "socks", "cupcake": "cupcakes", "marble": "marbles",
    "sticker": "stickers", "kitten": "kittens", "puppy": "puppies", "lamb": "lambs", "tree": "trees",
    "boat": "boats", "bird": "birds", "toy": "toys", "pencil": "pencils", "hat": "hats",
}

OPPOSITES = [
    ("hot", "cold"), ("big", "small"), ("up", "down"), ("happy", "sad"), ("fast", "slow"),
    ("day", "night"), ("tall", "short"), ("wet", "dry"), ("open", "closed"), ("loud", "quiet"),
    ("full", "empty"), ("hard", "soft"), ("in", "out"), ("clean", "dirty"), ("heavy", "light"),
    ("early", "late"), ("first", "last"), ("push", "pull"), ("strong", "weak"), ("young", "old"),
    ("top", "bottom"), ("near", "far"), ("inside", "outside"), ("left", "right"), ("sweet", "sour"),
    ("black", "white"), ("yes", "no"), ("brave", "scared"), ("high", "low"), ("thick", "thin"),
]

SHAPES = {"triangle": 3, "square": 4, "rectangle": 4, "pentagon": 5, "hexagon": 6, "octagon": 8}
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
SEASONS = {
    "winter": "it is cold and it can snow",
    "spring": "flowers start to grow and baby animals are born",
    "summer": "it is hot and sunny and the days are long",
    "fall": "the leaves turn red and orange and fall from the trees",
}
COLOR_MIX = {
    ("red", "yellow"): "orange", ("blue", "yellow"): "green", ("red", "blue"): "purple",
    ("red", "white"): "pink", ("black", "white"): "gray", ("blue", "white"): "light blue",
}
RHYMES = [
    ["cat", "hat", "bat", "mat", "rat"], ["dog", "log", "frog", "fog"], ["sun", "fun", "run", "bun"],
    ["bee", "tree", "sea", "key"], ["cake", "lake", "snake", "rake"], ["star", "car", "jar"],
    ["boat", "coat", "goat"], ["mouse", "house"], ["moon", "spoon", "balloon"], ["bed", "red", "bread"],
    ["ball", "wall", "tall", "fall"], ["fish", "dish", "wish"], ["king", "ring", "sing", "swing"],
    ["bear", "chair", "pear"], ["book", "cook", "look"], ["night", "light", "kite"], ["rain", "train", "plane"],
    ["sock", "rock", "clock"], ["pig", "wig", "dig"], ["fox", "box", "socks"], ["bug", "rug", "hug", "mug"],
]
BODY = {
    "see": "eyes", "hear": "ears", "smell": "nose", "taste": "tongue", "walk": "legs and feet",
    "hold things": "hands", "think": "brain", "chew food": "teeth",
}
WEATHER_WEAR = {
    "rains": "a raincoat and rain boots, and you can carry an umbrella",
    "snows": "a warm coat, a hat, a scarf and mittens",
    "is hot and sunny": "a sun hat, light clothes and sunscreen",
    "is windy": "a jacket that keeps the wind out",
}

COLORS = ["red", "blue", "green", "yellow", "purple", "orange", "pink", "white", "black", "brown", "gray", "golden"]
KID_ADJ = ["little", "kind", "curious", "happy", "brave", "clever", "shy", "cheerful", "gentle", "busy"]
ANIMAL_ADJ = ["little", "small", "fluffy", "young", "curious", "brave", "kind", "sleepy", "tiny", "friendly", "clever"]

# Places: (where the hero lives, as a phrase with its preposition; things you see there)
PLACES = {
    "village": ("in a small village by the sea", ["boats", "seagulls", "a lighthouse", "fishing nets"]),
    "forest": ("in a big green forest", ["tall trees", "mushrooms", "a little stream", "singing birds"]),
    "farm": ("on a farm with a red barn", ["cows", "a tractor", "chickens", "a big haystack"]),
    "town": ("in a quiet town", ["a bakery", "a fountain", "a small library", "a busy market"]),
    "park": ("near a park with tall trees", ["swings", "a duck pond", "a slide", "flower beds"]),
    "garden": ("in a house with a garden full of flowers", ["roses", "bees", "a little fence", "a watering can"]),
    "hill": ("in a cozy house on a hill", ["a winding path", "a windmill", "sheep", "wild flowers"]),
    "mountain": ("on a snowy mountain", ["pine trees", "a frozen lake", "a wooden cabin", "deep snow"]),
    "meadow": ("in a sunny meadow", ["butterflies", "tall grass", "daisies", "a big old oak"]),
    "city": ("in a busy city", ["tall buildings", "buses", "a big park", "street lights"]),
}
TRIPS = {
    "the beach": ["shells", "crabs", "big waves", "a sand castle", "seagulls"],
    "the zoo": ["lions", "elephants", "monkeys", "a giraffe", "penguins"],
    "the farm": ["cows", "pigs", "a tractor", "baby chicks", "a horse"],
    "the market": ["red apples", "fresh bread", "flowers", "big pumpkins", "honey"],
    "the lake": ["ducks", "a little boat", "fish", "frogs", "tall reeds"],
    "the mountains": ["pine trees", "a waterfall", "a deer", "snow on the tops", "a rocky path"],
    "the museum": ["dinosaur bones", "old paintings", "a big map", "shiny stones", "a model ship"],
    "the library": ["shelves of books", "a reading corner", "picture books", "a big globe", "a quiet room"],
}

LOST_OBJECTS = ["ball", "kite", "hat", "teddy bear", "toy car", "book", "scarf", "key", "doll",
                "toy boat", "whistle", "mitten", "drum", "yo-yo", "crayon box", "backpack"]
SEARCH_SPOTS = ["under the bed", "behind the sofa", "in the toy box", "in the kitchen", "on the table",
                "in the garden", "near the pond", "under a big tree", "by the gate", "in the sandbox",
                "in a bush", "on the porch", "in the barn", "behind the door", "under a pile of leaves",
                "on the swing", "next to the well", "in the tall grass"]
HELPERS = ["mom", "dad", "grandma", "grandpa", "big sister", "big brother", "aunt", "uncle"]
WISE_HELPERS = ["an old owl", "a kind farmer", "a wise turtle", "a friendly bird", "a gentle horse", "the baker"]
GAMES = ["tag", "hide and seek", "catch", "jump rope", "soccer", "tea party", "ball", "leapfrog"]
SHARE_ITEMS = ["cookie", "apple", "candy", "crayon", "sticker", "cupcake", "marble", "strawberry"]
NUMBER_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                "eleven", "twelve"]
FEELINGS_GOOD = ["happy", "proud", "glad", "warm inside", "very happy", "full of joy"]
