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
* :mod:`~backprop.book.graph`: chapters 7-8, the computational graph and the bug patterns;
* :mod:`~backprop.book.output_layer`: chapters 2-3, gradient descent on the output layer;
* :mod:`~backprop.book.hidden_layer`: chapters 4-5, error-signal sizes during training;
* :mod:`~backprop.book.explorers`: chapters 1-6, the pictures of their explorers, each
  computed from its control values (so a live kernel can retrain at any value);
* :mod:`~backprop.book.playground`: chapter 9, the playground;
* :mod:`~backprop.book.digits`: chapter 10, handwritten digits end to end.
"""
