package softmax

import "errors"

func fitSGD(p *problem) (*result, error) { return nil, errors.New("softmax: sgd: not implemented yet") }
