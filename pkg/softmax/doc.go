// Package softmax fits multinomial (softmax) logistic regression with the
// semantics of scikit-learn's LogisticRegression(multi_class='multinomial').
package softmax
