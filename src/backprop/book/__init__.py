"""The book's tools: figures, widgets and chapter helpers (floor 4).

Needs the ``book`` extra (``pip install backprop[book]``: matplotlib,
ipywidgets, pillow, IPython); :mod:`backprop.book.digits` also needs the
``digits`` extra (scikit-learn) for its data and comparison model. Nothing in
the core package (``backprop`` itself) imports from here.

* :mod:`~backprop.book.style`: colours, new axes, number formatting, message boxes;
* :mod:`~backprop.book.figure1`: Figure 1 from a live network, and the steps of backprop;
* :mod:`~backprop.book.plots`: activation curves, loss curves, decision boundaries,
  gradient sizes;
* :mod:`~backprop.book.widgets`: widgets that keep working in the static HTML book;
* :mod:`~backprop.book.exercises`: the checkers of the chapters' exercises;
* :mod:`~backprop.book.chapter_exercises`: every checked exercise of the book, its
  answer and its common mistakes;
* :mod:`~backprop.book.quoted`: numbers quoted in the prose, glued and printed;
* :mod:`~backprop.book.graph`: "From deltas to autograd" and "Finding gradient bugs",
  the computational graph and the bug patterns;
* :mod:`~backprop.book.output_layer`: the output-weight and output-bias chapters, gradient
  descent on the output layer;
* :mod:`~backprop.book.hidden_layer`: the hidden-weight and hidden-bias chapters,
  error-signal sizes during training;
* :mod:`~backprop.book.explorers`: the derivation chapters, the pictures of their explorers, each
  computed from its control values (so a live kernel can retrain at any value);
* :mod:`~backprop.book.playground`: the playground chapter;
* :mod:`~backprop.book.digits`: the real-data chapter, handwritten digits end to end;
* :mod:`~backprop.book.worked_example`: the calculator network and every number of one step;
* :mod:`~backprop.book.initialisation`: weight scales and the variance of z per layer.
"""
